//! The text as the models should see it, with the same offsets as the original: spreadsheet
//! export artifacts (`_x000D_`, Excel's escape of a carriage return inside a cell, and its
//! kin `_x000A_`, `_x0009_`) become spaces of the same length, so a name glued to one ("Abu
//! Aqleh_x000D_") is a name again. Every replacement is ASCII for ASCII, byte for byte, so
//! byte and code-point offsets into the view are offsets into the original `text`.

use std::borrow::Cow;

/// Excel/OOXML escapes of control characters, as they appear in exported text.
const EXPORT_ARTIFACTS: &[&str] = &["_x000D_", "_x000A_", "_x0009_", "_x000d_", "_x000a_"];

/// `text` with export artifacts blanked (borrowed when there is none).
pub fn model_view(text: &str) -> Cow<'_, str> {
    if !EXPORT_ARTIFACTS.iter().any(|a| text.contains(a)) {
        return Cow::Borrowed(text);
    }
    let mut view = text.to_string();
    for artifact in EXPORT_ARTIFACTS {
        view = view.replace(artifact, &" ".repeat(artifact.len()));
    }
    Cow::Owned(view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifacts_become_spaces_and_offsets_stay() {
        let text = "Shireen Abu Aqleh_x000D_\nwas killed in Jenin._x000D_";
        let view = model_view(text);
        assert_eq!(view.len(), text.len());
        assert_eq!(view.chars().count(), text.chars().count());
        assert_eq!(&view[..17], "Shireen Abu Aqleh");
        assert_eq!(view.trim_end(), "Shireen Abu Aqleh       \nwas killed in Jenin.");
        assert!(matches!(model_view("plain text"), Cow::Borrowed(_)));
    }
}
