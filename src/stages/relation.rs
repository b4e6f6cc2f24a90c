//! Stated person↔organisation relations: role patterns over the words between a person's and an
//! organisation's mention in one sentence ("Jack Ma, founder of Alibaba"; "Apple chief
//! executive Tim Cook"; "Ma, who heads Alibaba"; "Alibaba's Jack Ma"). Only text made of these
//! few words counts, so a person merely quoted by an outlet ("told Reuters") or listed next to
//! one states nothing. Patterns and confidences were chosen on the train and dev splits of
//! data/annotated (README, "Links").

use std::sync::LazyLock;

use regex::Regex;

use super::role_words::{
    AFTER_OWNED, NOT_DESCRIBING, NOT_TITLE, ORG_NOUNS, PUBLIC_BODY_WORDS, RESEARCH_BODY_WORDS, ROLE_NOUNS, ROLE_VERBS,
    TITLE_PARTICIPLES,
};
use crate::record::{RelationPattern, Role};

/// Up to three words that may stand before a role noun ("the former deputy foreign minister",
/// "a currency strategist", "humanitarian chief"), captured to be checked against `NOT_TITLE`.
const MODIFIERS: &str = r"((?:[\w.&'’-]+[- ]){0,3}?)";
/// What may follow a role noun before the organisation: "and CEO", "and chief investment
/// officer", "of research", "of Technology and Product".
const NOUN_TAIL: &str = r"(?: (?:and|&) [\w-]+(?: [\w-]+){0,2})?(?: (?:of|for|on|in) [\w&'’-]+(?: [\w&'’-]+){0,3}?)?";
/// A field of work after a role noun in an apposition: "a professor specializing in
/// shipbuilding at", "an environmental scientist with expertise in soil at the".
const SPECIALTY: &str =
    r"(?: (?:specializing|specialising|focusing|focussing|working|with expertise) (?:in|on) [\w-]+(?: [\w-]+){0,2}?)?";
/// Honorifics and ranks that stand before a name and are no title of their own ("the head of
/// the Sovereignty Council, Gen X", "the Director of Public Prosecution (DPP), Mr X").
const HONORIFICS: &str = "mr|mrs|ms|dr|prof|sir|dame|rev|eng|gen|maj|lt|col|capt|sgt|general|major|colonel|captain";
/// An acronym or a parenthesis right after a name: "(FVPLS)", "(R-Tenn.)".
const PARENTHESIS: &str = r"(?:\([^()]{1,30}\)\s*)?";

fn alternation(words: &[(&str, Role)]) -> String {
    words.iter().map(|(w, _)| regex::escape(w)).collect::<Vec<_>>().join("|")
}

fn role_of(found: &str, words: &[(&str, Role)]) -> Option<Role> {
    words.iter().find(|(w, _)| *w == found).map(|(_, r)| *r)
}

struct Patterns {
    /// Person first, between: ", the former chief executive of (the) " / ", CTO, ".
    apposition: Regex,
    /// Person first, between: ", " and after the organisation: "'s founder" / " founder".
    possessive_after: Regex,
    comma_only: Regex,
    /// Person first, between: ", a Palestinian American and longtime " (an apposition that
    /// describes the person in a few words before the organisation's title: "X, a Palestinian
    /// American and longtime Al Jazeera correspondent"); none of the words may tie the person to
    /// someone else (`NOT_DESCRIBING`: "X, a critic of Acme chief ...").
    described_apposition: Regex,
    /// Person first, between: ", who heads " / " founded ".
    verb: Regex,
    /// Person first, between: " retired as " / ", who stepped down as " (a role noun after the
    /// organisation: "retired as CIA director", "stepped down as Match's boss").
    as_role: Regex,
    /// Person first, between: " of " / ", from the ".
    affiliation: Regex,
    /// Person first, between: "'s " ("Rutte's VVD party").
    person_possessive: Regex,
    /// Person first, between: " / For " or "/" (a photo or byline credit: "[Brendan
    /// McDermid/Reuters]").
    credit: Regex,
    /// Organisation first, between: " Photo/" or "/" ("(AP Photo/John Minchillo)",
    /// "REUTERS/Francois Lenoir").
    photo_credit: Regex,
    /// Person first, between: " of the anti-racism group " / " of broadband comparison website ".
    described_affiliation: Regex,
    /// Organisation first, between: " founder " / "'s chief executive, " / " (FVPLS) chair, ".
    title_before: Regex,
    /// Organisation first, between: "'s ".
    possessive: Regex,
    /// Organisation first, between: ", founded by " / " is led by former judges " / ", an
    /// investment team headed by former Republican presidential candidate ".
    passive: Regex,
    /// Organisation first with only "," or a space between (or an honorific: "Gen", "Mr"), and a
    /// title before the organisation, which may follow its owner's name: "a member of the Iraqi
    /// Civil Society Solidarity Initiative, Bijnens", "the head of the DOJ's National Security
    /// Division, Mary McCord".
    title_of_before: Regex,
    blank: Regex,
    /// Person first: a second title coordinated after an apposition's first, between: ", chief of
    /// the Paramedic Service and past president of the " (groups of the second title).
    second_title: Regex,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let nouns = alternation(ROLE_NOUNS);
    let verbs = alternation(ROLE_VERBS);
    let det = r"(?:the |a |an |its |their |his |her )?";
    let build = |p: String| Regex::new(&p).expect("role pattern");
    Patterns {
        apposition: build(format!(
            r"^\s*{PARENTHESIS}(?:(?:,|–|—|\s-|\s{{2,}})\s*(?:who is also |who was also |who is |who was |is |was |now |currently |one of the |(?:a|an|the) (?:[\w-]+ ){{1,3}}who (?:is|was) (?:now |also )?)?|\s(?:who\s+(?:is|was)(?:\s+also)?|is out as|was ousted as|was fired as|was named|was appointed|was elected|has been named|has been appointed|is now|has been|had been|is|was|serves as|served as|works as|worked as|working as|became|resigned as|retired as|stepped down as|quit as)\s+){det}{MODIFIERS}({nouns})s?{NOUN_TAIL}{SPECIALTY}(?:\s+(?:of|at|for|with|from|in|to)\s+(?:the\s+)?(?:[\w&'’-]+\s+){{0,3}}?|\s*,\s*)$"
        )),
        possessive_after: build(format!(r"^\s*(?:['’]s?\s+)?{MODIFIERS}({nouns})\b")),
        comma_only: build(r"^\s*,\s*(?:who (?:is|was|became) )?(?:the |a |an )?(?:former |longtime |long-time |veteran |senior |then-)?$".into()),
        described_apposition: build(
            r"^\s*,\s*(?:the|a|an)\s+((?:[\w-]+\s+){1,4})$".into(),
        ),
        verb: build(format!(
            r"^\s*,?\s*(?:who\s+)?(?:also\s+|previously\s+|later\s+|now\s+|currently\s+|has\s+|had\s+|is\s+|was\s+)?({verbs})\s+(?:the\s+)?(?:[\w-]+-based\s+)?$"
        )),
        as_role: build(
            r"^\s*,?\s*(?:who\s+)?(?:has\s+|had\s+|later\s+)?(?:retired|resigned|stepped down|served|serves|remains|remained|was appointed|was named|was elected|took over) as\s+(?:the\s+)?$"
                .into(),
        ),
        affiliation: build(r"^\s*,?\s+(?:of|at|from)\s+(?:the\s+)?$".into()),
        person_possessive: build(r"^['’]s?\s+$".into()),
        credit: build(r"^\s*/\s*(?:for\s+)?$".into()),
        photo_credit: build(r"^\s*(?:(?:photo|photos|pictures|images)\s*)?/\s*$".into()),
        described_affiliation: build(format!(r"^\s*,?\s+(?:of|at|from)\s+(?:the\s+)?{MODIFIERS}(?:{ORG_NOUNS})\s+$")),
        title_before: build(format!(
            r"^\s*{PARENTHESIS}(?:['’]s?\s+)?{MODIFIERS}({nouns})s?(?:\s*,\s*(?:[\w-]+ ){{0,2}}?(?:{nouns})|\s+(?:and|&)\s+(?:[\w-]+ )?(?:{nouns}))?((?:\s+[\w.-]+){{0,2}}?)\s*,?\s*$"
        )),
        possessive: build(r"^\s*['’]s?\s+$".into()),
        passive: build(format!(
            r"^\s*{PARENTHESIS},?\s*(?:which is |which was |is |was |(?:a|an|the) (?:[\w-]+ ){{1,3}}?)?(led|headed|run|founded|co-founded|owned|chaired|managed)\s+by\s+(?:[\w-]+ ){{0,4}}?$"
        )),
        title_of_before: build(format!(
            r"(?:^|\s){det}{MODIFIERS}({nouns})s?\s+(?:of|at|with|to|for)\s+(?:the\s+)?(?:[\w.&-]+['’]s?\s+)?$"
        )),
        blank: build(format!(r"^\s*{PARENTHESIS},?\s*(?:(?:{HONORIFICS})\.?\s+){{0,2}}$")),
        second_title: build(format!(
            r"^\s*(?:,\s*|\s+(?:is|was)\s+)(?:the |a |an )?(?:[\w.&'’-]+[- ]){{0,3}}?(?:{nouns})s?{NOUN_TAIL}\s+(?:of|at|for|with|to)\s+[^;:\x22“”()]{{1,90}}?,?\s+and\s+(?:a |an |the )?(?:past |former |also )?{MODIFIERS}({nouns})s?{NOUN_TAIL}\s+(?:of|at|for|with)\s+(?:the\s+)?$"
        )),
    }
});

/// Whether the text after an organisation named with a person's possessive leaves it the
/// person's organisation: not a modifier of another noun ("Trump's Twitter criticism", "Trump's
/// Congress address", "Trump's Cabinet picks" are about Trump, not ties to those bodies).
fn owns(after_org: &str) -> bool {
    let next = after_org.split_whitespace().next().unwrap_or("");
    let word = next.trim_end_matches(|c: char| !c.is_alphanumeric());
    // Punctuation, the end, a past tense ("Wickremesinghe's UNP managed to win"), a negated
    // verb ("Trump's White House can't take a joke"), or a listed word.
    !next.starts_with(|c: char| c.is_alphabetic())
        || (word.len() > 4 && word.ends_with("ed"))
        || word.ends_with("n't")
        || word.ends_with("n’t")
        || AFTER_OWNED.contains(&word)
        || ORG_NOUNS.split('|').any(|n| n == word)
}

/// True when no captured modifier word is one of `NOT_TITLE` or a verb in the past tense
/// ("interviewed president X").
fn title_words(words: Option<regex::Match>) -> bool {
    words.is_none_or(|m| {
        !m.as_str()
            .split([' ', '-'])
            .any(|w| NOT_TITLE.contains(&w) || (w.len() > 4 && w.ends_with("ed") && !TITLE_PARTICIPLES.contains(&w)))
    })
}

/// The role noun of `re` in `text` (groups: 1 modifiers, 2 noun, optional 3 trailing words),
/// when the modifiers and trailing words are title words.
fn noun_role(re: &Regex, text: &str) -> Option<Role> {
    let c = re.captures(text)?;
    (title_words(c.get(1)) && title_words(c.get(3))).then_some(())?;
    role_of(c.get(2)?.as_str(), ROLE_NOUNS)
}

/// Whether `text`, what follows a possessive ("its", "Acme's"), opens with a role noun: "its
/// chief executive", not "its rating lists".
pub fn opens_with_role(text: &str) -> bool {
    noun_role(&PATTERNS.possessive_after, text).is_some()
}

/// The guideline's role for a title at this kind of organisation (data/annotated/GUIDELINE.md,
/// "Heads of organisations"): a chief executive is `ceo` only of a company, the head of any
/// other organisation is `executive`, and of a public body `official`.
pub fn role_at(role: Role, company: bool, org_name: &str) -> Role {
    let public_body = !company
        && org_name
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| PUBLIC_BODY_WORDS.contains(&w.to_lowercase().as_str()));
    match role {
        Role::Ceo | Role::Executive if public_body => Role::Official,
        Role::Ceo if !company => Role::Executive,
        other => other,
    }
}

/// Lowercased text around a person's and an organisation's mention in one sentence.
#[derive(Clone, Copy)]
pub struct PairText<'a> {
    /// Before the first of the two mentions (a few dozen characters).
    pub before: &'a str,
    pub between: &'a str,
    /// After the organisation's mention (a few dozen characters).
    pub after_org: &'a str,
    /// After the person's mention (a few dozen characters).
    pub after_person: &'a str,
    /// The organisation's mention.
    pub org: &'a str,
    pub person_first: bool,
}

/// "ambassador to the UN", "Russia's envoy to NATO": right before the organisation.
static ENVOY_TO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:ambassador|envoy|representative)s?\s+to\s+(?:the\s+)?$").expect("envoy pattern"));

/// "his pick to fill the vacant seat on the", "nominee for the": a seat not yet held.
static NOMINATED_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:pick|picks|nominee|nominees|nominated|choice)\s+(?:to|for)\b[^.]*$").expect("nominee pattern")
});

/// A sentence opening with its subject's founding, up to the founders' names: "Founded in 2012
/// by " / "founded in May 2012 by A and " (the subject comes after the names: "Founded in 2012
/// by A and B, Bewakoof sells apparel").
/// Before an organisation: the staff or people of a person named by a pronoun ("his own staff at
/// the National Security Council, Mr Harward said"): the person's people, not the person's title.
static PRONOUN_OWNED_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:his|her|their|my|our)\s+(?:own\s+)?[\w-]+\s+(?:of|at|with|to|for)\s+(?:the\s+)?(?:[\w.&-]+['’]s?\s+)?$",
    )
    .expect("pronoun-owned title pattern")
});

static FOUNDED_BY_OPENER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:^|[.!?]["”’]?\s+)\s*(?:co-)?founded\s+(?:in\s+(?:[a-z]+\s+)?\d{4}\s+)?by\s+(?:[\w.'’-]+\s+){0,4}?(?:and\s+)?$"#)
        .expect("founded-by pattern")
});

/// Between the founders' names and their organisation: ", " / " and B, ".
static FOUNDERS_THEN_SUBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\s+and\s+(?:[\w.'’-]+\s+){0,3}?[\w.'’-]+)?\s*,\s*$").expect("founders pattern"));

/// A reporter named after their outlet ("Al Jazeera's John Holman, reporting from"; "Al
/// Jazeeras Dorsa Jabbari, reporting from", the apostrophe lost in scraping).
fn reporting(after_person: &str) -> bool {
    [", reporting", " reporting from", " reports from"].iter().any(|r| after_person.starts_with(r))
}

/// The role a sentence states for a person at an organisation, with a confidence. An envoy
/// to an international body, and a nominee to a body, are `other-role` of it
/// (data/annotated/GUIDELINE.md): the envoy serves their own country, the nominee does not
/// hold the seat yet.
pub fn stated_role(t: &PairText) -> Option<(Role, RelationPattern)> {
    let (role, pattern) = pattern_role(t)?;
    let before_org = if t.person_first { t.between } else { t.before };
    let envoy = role == Role::Official && ENVOY_TO.is_match(before_org);
    let nominee = NOMINATED_TO.is_match(before_org);
    Some((if envoy || nominee { Role::OtherRole } else { role }, pattern))
}

/// How sure a relation each reading states is: the precision its links had on dev
/// (`eval-links`, 2026-11-27), shrunk towards the confidence first set by hand for it, which
/// counts as `PRIOR_LINKS` links (most readings state few dev links). Dev, not train: the
/// patterns were written on train, where every reading is 88-100% precise.
pub fn confidence(pattern: RelationPattern) -> f32 {
    let (prior, right, stated) = dev_record(pattern);
    (right as f32 + PRIOR_LINKS * prior) / (stated as f32 + PRIOR_LINKS)
}

/// How many links the hand-set confidence weighs as.
const PRIOR_LINKS: f32 = 10.0;

/// (hand-set confidence, true links on dev, links on dev) of each reading.
const fn dev_record(pattern: RelationPattern) -> (f32, u16, u16) {
    use RelationPattern::*;
    match pattern {
        Apposition => (0.95, 51, 56),
        PossessiveTitle => (0.9, 5, 5),
        AsTitle => (0.85, 0, 0),
        RoleVerb => (0.85, 3, 4),
        OtherVerb => (0.6, 0, 0),
        Credit => (0.9, 14, 14),
        Byline => (0.85, 1, 1),
        Affiliation => (0.6, 3, 4),
        OwnerPossessive => (0.6, 2, 2),
        DescribedAffiliation => (0.6, 2, 2),
        FoundedBy => (0.85, 0, 0),
        TitleBefore => (0.95, 35, 41),
        Passive => (0.9, 1, 2),
        Possessive => (0.7, 5, 5),
        Reporting => (0.8, 3, 3),
        TitleOfBefore => (0.85, 2, 4),
        Coordinated => (0.85, 1, 2),
        DatelineCredit => (0.85, 5, 5),
        Office => (0.8, 11, 11),
        CompanyTitle => (0.8, 1, 1),
        Party => (0.8, 1, 1),
        Reference => (0.8, 1, 1),
    }
}

/// ", 51" right after a person's name, before another comma.
static AGE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\s*,\s*\d{1,3})\s*,").expect("age pattern"));

/// ", a celebrated former four-star general" right after a person's name, up to its closing comma.
static APPOSITION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*,\s*(?:a|an|the)\s+[^,]{1,60},").expect("apposition pattern"));

/// The role the patterns read in a pair's text.
fn pattern_role(t: &PairText) -> Option<(Role, RelationPattern)> {
    let p = &*PATTERNS;
    let captured = |re: &Regex, text: &str| re.captures(text).and_then(|c| c.get(1)).map(|m| m.as_str().to_string());
    if t.person_first {
        // An age between the name and its apposition ("X, 51, a longtime Al Jazeera
        // correspondent") belongs to the name.
        let between = AGE.captures(t.between).and_then(|c| c.get(1)).map_or(t.between, |age| &t.between[age.end()..]);
        let t = &PairText { between, ..*t };
        if let Some(role) = noun_role(&p.apposition, t.between).or_else(|| noun_role(&p.second_title, t.between)) {
            return Some((role, RelationPattern::Apposition));
        }
        let described = p.described_apposition.captures(t.between).is_some_and(|c| {
            c.get(1).is_some_and(|w| !w.as_str().split_whitespace().any(|w| NOT_DESCRIBING.contains(&w)))
        });
        if p.comma_only.is_match(t.between) || described {
            if let Some(role) = noun_role(&p.possessive_after, t.after_org) {
                return Some((role, RelationPattern::PossessiveTitle));
            }
        }
        // A clause's verb may follow an apposition that describes the person: "X, a celebrated
        // former four-star general, retired as CIA director".
        let clause = APPOSITION.find(t.between).map_or(t.between, |a| &t.between[a.end()..]);
        if p.as_role.is_match(clause) {
            if let Some(role) = noun_role(&p.possessive_after, t.after_org) {
                return Some((role, RelationPattern::AsTitle));
            }
        }
        if let Some(verb) = captured(&p.verb, clause) {
            let role = role_of(&verb, ROLE_VERBS)?;
            return Some((
                role,
                if role == Role::OtherRole { RelationPattern::OtherVerb } else { RelationPattern::RoleVerb },
            ));
        }
        if p.credit.is_match(t.between) {
            return Some((Role::Employee, RelationPattern::Credit));
        }
        // A byline naming its outlet: "Article By Greg Morcroft, Fintel".
        let line_ends = t.after_org.trim_start_matches([' ', '.']).is_empty() || t.after_org.starts_with(['\n', '\r']);
        if t.between == ", "
            && (t.before.ends_with("\nby ") || t.before == "by " || t.before.ends_with(" by "))
            && line_ends
        {
            return Some((Role::Employee, RelationPattern::Byline));
        }
        if p.affiliation.is_match(t.between) {
            // "David MacDonald from the Canadian Centre for Policy Alternatives": a quoted expert.
            let research = t.org.split(|c: char| !c.is_alphanumeric()).any(|w| RESEARCH_BODY_WORDS.contains(&w));
            return Some((if research { Role::AnalystAt } else { Role::OtherRole }, RelationPattern::Affiliation));
        }
        if p.person_possessive.is_match(t.between) && owns(t.after_org) {
            return Some((Role::OtherRole, RelationPattern::OwnerPossessive));
        }
        if p.described_affiliation.captures(t.between).is_some_and(|c| title_words(c.get(1))) {
            return Some((Role::OtherRole, RelationPattern::DescribedAffiliation));
        }
        if FOUNDED_BY_OPENER.is_match(t.before) && FOUNDERS_THEN_SUBJECT.is_match(t.between) {
            return Some((Role::Founder, RelationPattern::FoundedBy));
        }
        return None;
    }
    if p.photo_credit.is_match(t.between) {
        return Some((Role::Employee, RelationPattern::Credit));
    }
    // A caption's credit: "(Getty Images: Tim de Waele)", "(AAP: Martin Rickett)".
    if t.between == ": " && t.before.ends_with('(') && t.after_person.starts_with(')') {
        return Some((Role::Employee, RelationPattern::Credit));
    }
    if let Some(role) = noun_role(&p.title_before, t.between) {
        return Some((role, RelationPattern::TitleBefore));
    }
    if let Some(verb) = captured(&p.passive, t.between) {
        let role = match verb.as_str() {
            "founded" | "co-founded" => Role::Founder,
            "owned" => Role::Owner,
            "chaired" => Role::Chair,
            _ => Role::Executive,
        };
        return Some((role, RelationPattern::Passive));
    }
    if p.possessive.is_match(t.between) {
        // "Al Jazeera's John Holman, reporting from Mexico City": the outlet's reporter.
        return Some(if reporting(t.after_person) {
            (Role::Employee, RelationPattern::Reporting)
        } else {
            (Role::OtherRole, RelationPattern::Possessive)
        });
    }
    if t.between == " " && reporting(t.after_person) {
        return Some((Role::Employee, RelationPattern::Reporting));
    }
    if p.blank.is_match(t.between) && !PRONOUN_OWNED_TITLE.is_match(t.before) {
        // The title is the one that ends `before`: read it from the last words on, so that the
        // words before it ("sanctions hit the head of the") are no modifiers of it.
        let word_starts = std::iter::once(0).chain(t.before.match_indices(' ').map(|(i, _)| i));
        if let Some(role) = word_starts.filter_map(|i| noun_role(&p.title_of_before, &t.before[i..])).next() {
            return Some((role, RelationPattern::TitleOfBefore));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The role stated between `person` and `org` in `sentence` (each named once).
    fn role(sentence: &str, person: &str, org: &str) -> Option<Role> {
        let lower = sentence.to_lowercase();
        let (p, o) = (lower.find(&person.to_lowercase()).unwrap(), lower.find(&org.to_lowercase()).unwrap());
        let (person_first, between) =
            if p < o { (true, &lower[p + person.len()..o]) } else { (false, &lower[o + org.len()..p]) };
        let after_person = &lower[p + person.len()..];
        let text = PairText {
            before: &lower[..p.min(o)],
            between,
            after_org: &lower[o + org.len()..],
            after_person,
            org: &lower[o..o + org.len()],
            person_first,
        };
        stated_role(&text).map(|(r, _)| r)
    }

    #[test]
    fn titles_appositions_and_verbs_state_roles() {
        assert_eq!(role("Jack Ma, the founder of Alibaba, met Trump.", "Jack Ma", "Alibaba"), Some(Role::Founder));
        assert_eq!(role("Apple chief executive Tim Cook said so.", "Tim Cook", "Apple"), Some(Role::Ceo));
        assert_eq!(role("Alibaba's former CEO, Jack Ma, spoke.", "Jack Ma", "Alibaba"), Some(Role::Ceo));
        assert_eq!(role("Jack Ma, Alibaba's chairman, spoke.", "Jack Ma", "Alibaba"), Some(Role::Chair));
        assert_eq!(role("Jane Doe, who heads Acme Corp, declined.", "Jane Doe", "Acme Corp"), Some(Role::Executive));
        assert_eq!(role("Acme Corp, founded by Jane Doe in 1990, grew.", "Jane Doe", "Acme Corp"), Some(Role::Founder));
        assert_eq!(role("said Reuters reporter John Smith.", "John Smith", "Reuters"), Some(Role::Employee));
        assert_eq!(role("Ma promoted Alibaba as a platform.", "Ma", "Alibaba"), Some(Role::OtherRole));
        assert_eq!(role("Alibaba's Jack Ma said.", "Jack Ma", "Alibaba"), Some(Role::OtherRole));
        assert_eq!(
            role("Al Jazeera's John Holman, reporting from Mexico City, said", "John Holman", "Al Jazeera"),
            Some(Role::Employee)
        );
        assert_eq!(role("said Alex Lisle, CTO, Kryptowire.", "Alex Lisle", "Kryptowire"), Some(Role::Executive));
        assert_eq!(
            role("NATO Secretary-General Jens Stoltenberg warned", "Jens Stoltenberg", "NATO"),
            Some(Role::Official)
        );
        assert_eq!(
            role("a member of Voice Buffalo, Tyrell Ford, said", "Tyrell Ford", "Voice Buffalo"),
            Some(Role::Member)
        );
        assert_eq!(
            role("The Centre, led by former judges Ann Lee and Tom Wu", "Ann Lee", "The Centre"),
            Some(Role::Executive)
        );
        assert_eq!(
            role("Ministry spokesman Major-Gen Igor Konashenkov said", "Igor Konashenkov", "Ministry"),
            Some(Role::Spokesperson)
        );
        assert_eq!(
            role("said Mark Zandi, chief economist at Moody's Analytics.", "Mark Zandi", "Moody's Analytics"),
            Some(Role::AnalystAt)
        );
        // A field of work between the title and the organisation.
        let sentence = "said Dong Liwan, a professor specializing in shipbuilding at Shanghai Maritime University.";
        assert_eq!(role(sentence, "Dong Liwan", "Shanghai Maritime University"), Some(Role::AnalystAt));
        let sentence =
            "said Ann Lee, an environmental scientist with expertise in soil at the University of Osnabrück.";
        assert_eq!(role(sentence, "Ann Lee", "University of Osnabrück"), Some(Role::AnalystAt));
    }

    #[test]
    fn ranks_ages_clauses_and_longer_phrases_state_roles() {
        // (sentence, person, organisation, role stated); train and dev, stop 22.
        let cases = [
            // Ranks and titles between an organisation and a name.
            ("Lawyers for Army Sgt. Bowe Bergdahl will try.", "Bowe Bergdahl", "Army", Some(Role::Employee)),
            ("Navy Seal Ryan Owens died in a raid.", "Ryan Owens", "Navy", Some(Role::Employee)),
            (
                "Breitbart News Editor in Chief Alex Marlow said.",
                "Alex Marlow",
                "Breitbart News",
                Some(Role::Executive),
            ),
            ("Top Senate Democrat Chuck Schumer said the bill.", "Chuck Schumer", "Senate", Some(Role::Official)),
            (
                "a report by Aerospace Force Commander-in-Chief Colonel-General Viktor Bondarev on the tasks.",
                "Viktor Bondarev",
                "Aerospace Force",
                Some(Role::Official),
            ),
            // "who is also" is read whole, not as "who is" and a title "also the ...".
            (
                "explains al-Asadi, who is also the local managing director of Nature Iraq, a nonprofit.",
                "al-Asadi",
                "Nature Iraq",
                Some(Role::Executive),
            ),
            // "is out as" and "was named" are read before "is" and "was".
            (
                "It's no surprise that Peter Sloly is out as chief of the Ottawa Police Service.",
                "Peter Sloly",
                "Ottawa Police Service",
                Some(Role::Executive),
            ),
            ("John Doe was named chief executive of Acme Corp.", "John Doe", "Acme Corp", Some(Role::Ceo)),
            (
                "Farren Morgan works as a physical training instructor for the Coldstream Guards.",
                "Farren Morgan",
                "Coldstream Guards",
                Some(Role::Employee),
            ),
            (
                "Tyrell Ford, one of the vigil organisers with Voice Buffalo, a nonprofit, said.",
                "Tyrell Ford",
                "Voice Buffalo",
                Some(Role::Member),
            ),
            // An age after the name; a possessive and an apposition before the organisation.
            (
                "Shireen Abu Akleh, 51, a Palestinian American and longtime Al Jazeera correspondent, was shot.",
                "Shireen Abu Akleh",
                "Al Jazeera",
                Some(Role::Employee),
            ),
            (
                "The Right Reverend Stephen Conway, the Church of England's lead bishop on education, said.",
                "Stephen Conway",
                "Church of England",
                Some(Role::Executive),
            ),
            (
                "Kurz, who became the People's Party leader in 2017, denied wrongdoing.",
                "Kurz",
                "People's Party",
                Some(Role::Executive),
            ),
            // A verb after the person's apposition, or after "now"; a "-based" word before the body.
            (
                "Petraeus, a celebrated former four-star general, retired as CIA director in 2012.",
                "Petraeus",
                "CIA",
                Some(Role::Executive),
            ),
            ("Engle now teaches at New York University.", "Engle", "New York University", Some(Role::Employee)),
            (
                "Ali al-Samudi, working for the Jerusalem-based Al-Quds newspaper, was shot.",
                "Ali al-Samudi",
                "Al-Quds",
                Some(Role::Employee),
            ),
            ("Strache was at the helm of the FPOe for 14 years.", "Strache", "FPOe", Some(Role::Executive)),
            (
                "Jerome Bonnafont, speaking for the European Union, said the killings must stop.",
                "Jerome Bonnafont",
                "European Union",
                Some(Role::Spokesperson),
            ),
            // A title before the organisation, read from its last words; an honorific before the name.
            (
                "Sanctions hit the head of the Sovereignty Council, Gen Abdelfattah El Burhan, last week.",
                "Abdelfattah El Burhan",
                "Sovereignty Council",
                Some(Role::Executive),
            ),
            (
                "said the head of the DOJ's National Security Division, Mary McCord.",
                "Mary McCord",
                "National Security Division",
                Some(Role::Executive),
            ),
            (
                "said Kunihiko Miyake, a former diplomat who is now a visiting professor at Ritsumeikan University.",
                "Kunihiko Miyake",
                "Ritsumeikan University",
                Some(Role::AnalystAt),
            ),
            ("Stanford freshman Emily Wang had a high score.", "Emily Wang", "Stanford", Some(Role::OtherRole)),
            // Still nothing: a number that is no age, a clause that is no apposition, a long tail.
            ("Ann Lee, 2,000 workers and Acme Corp sued.", "Ann Lee", "Acme Corp", None),
            ("Ann Lee, a critic, met with Acme Corp staff.", "Ann Lee", "Acme Corp", None),
            (
                "Ann Lee resigned as the Prime Minister on May 9 following the violence, Acme Corp said.",
                "Ann Lee",
                "Acme Corp",
                None,
            ),
        ];
        for (sentence, person, org, expected) in cases {
            assert_eq!(role(sentence, person, org), expected, "{sentence}");
        }
    }

    #[test]
    fn copulas_titles_and_roles_held_as_state_roles() {
        assert_eq!(
            role("Adam Sabes is a writer for Fox News Digital.", "Adam Sabes", "Fox News Digital"),
            Some(Role::Employee)
        );
        assert_eq!(role("Asad Kausar is CEO at Dabaran, a Chicago agency.", "Asad Kausar", "Dabaran"), Some(Role::Ceo));
        assert_eq!(
            role("Mathias Thomsen is general manager of urban air mobility at Airbus.", "Mathias Thomsen", "Airbus"),
            Some(Role::Executive)
        );
        assert_eq!(
            role("prompted White House chief of staff Reince Priebus to review", "Reince Priebus", "White House"),
            Some(Role::Official)
        );
        assert_eq!(
            role("Stephen Belongia, the FBI special agent in charge, said", "Stephen Belongia", "FBI"),
            Some(Role::Official)
        );
        assert_eq!(role("Mr Petraeus retired as CIA director in 2012", "Petraeus", "CIA"), Some(Role::Executive));
        assert_eq!(role("Shar Dubey stepped down as Match's boss.", "Shar Dubey", "Match"), Some(Role::Ceo));
        assert_eq!(
            role("the home of Supreme Court Justice Brett Kavanaugh", "Brett Kavanaugh", "Supreme Court"),
            Some(Role::Official)
        );
        assert_eq!(
            role("Brown played at Wake Forest and was a captain.", "Brown", "Wake Forest"),
            Some(Role::Employee)
        );
        assert_eq!(
            role("Zoe Conway was reporting for the BBC's Today programme.", "Zoe Conway", "BBC"),
            Some(Role::Employee)
        );
        assert_eq!(
            role("said Ashok Leyland Whole Time Director and CFO Gopal Mahadevan.", "Gopal Mahadevan", "Ashok Leyland"),
            Some(Role::Executive)
        );
        assert_eq!(role("Abdalla Hamdok, a former UN official seen as", "Abdalla Hamdok", "UN"), Some(Role::Official));
        assert_eq!(
            role(
                "as Sun Mingchun, chairman and chief investment officer of Hong Kong-based Deepwater Capital, said",
                "Sun Mingchun",
                "Deepwater Capital"
            ),
            Some(Role::Chair)
        );
        assert_eq!(
            role("said Timothy Langan who is assistant director of the FBI's division", "Timothy Langan", "FBI"),
            Some(Role::Executive)
        );
        assert_eq!(
            role(
                "Donald Trump unveiled his pick to fill the vacant seat on the Supreme Court - Judge Neil Gorsuch, of Colorado.",
                "Neil Gorsuch",
                "Supreme Court"
            ),
            Some(Role::OtherRole),
            "a nominee does not hold the seat yet"
        );
        // A copula needs a title: being somewhere, or being quoted, is no role.
        assert_eq!(role("Ann Lee was at Acme Corp on Monday.", "Ann Lee", "Acme Corp"), None);
        assert_eq!(role("Ann Lee is suing Acme Corp for damages.", "Ann Lee", "Acme Corp"), None);
    }

    #[test]
    fn a_title_means_what_the_guideline_says_at_that_kind_of_organisation() {
        assert_eq!(role_at(Role::Ceo, true, "Alibaba Group"), Role::Ceo);
        assert_eq!(role_at(Role::Ceo, false, "Wildlife Trusts"), Role::Executive, "no company");
        assert_eq!(role_at(Role::Executive, false, "Federal Antimonopoly Service"), Role::Official);
        assert_eq!(role_at(Role::Ceo, false, "Ministry of Commerce"), Role::Official);
        assert_eq!(role_at(Role::Chair, false, "Federal Reserve"), Role::Chair, "a literal chair title stays");
        assert_eq!(
            role_at(Role::Executive, true, "China Post Office Ltd"),
            Role::Executive,
            "a company is no public body"
        );
    }

    #[test]
    fn credits_and_described_affiliations_state_roles() {
        assert_eq!(role("(AP Photo/John Minchillo)", "John Minchillo", "AP"), Some(Role::Employee));
        assert_eq!(role("REUTERS/Francois Lenoir/File Photo", "Francois Lenoir", "REUTERS"), Some(Role::Employee));
        assert_eq!(role("the scene [Brendan McDermid/Reuters]", "Brendan McDermid", "Reuters"), Some(Role::Employee));
        assert_eq!(
            role("said Sonny Phung of the anti-racism group SOS Racisme, which", "Sonny Phung", "SOS Racisme"),
            Some(Role::OtherRole)
        );
        assert_eq!(
            role("Thorsten Rolfes, a spokesperson for Dutch clothing chain C&A, admits", "Thorsten Rolfes", "C&A"),
            Some(Role::Spokesperson)
        );
        assert_eq!(
            role(
                "Campbell Harvey, a finance professor at Duke University's Fuqua School of Business, said",
                "Campbell Harvey",
                "Fuqua School of Business"
            ),
            Some(Role::AnalystAt)
        );
        assert_eq!(
            role("according to ABC News meteorologist Melissa Griffin.", "Melissa Griffin", "ABC News"),
            Some(Role::Employee)
        );
        assert_eq!(
            role(
                "Founded in 2012 by Prabhkiran Singh and Siddharth Munot, Bewakoof sells apparel.",
                "Prabhkiran Singh",
                "Bewakoof"
            ),
            Some(Role::Founder)
        );
        assert_eq!(
            role(
                "Founded in 2012 by Prabhkiran Singh and Siddharth Munot, Bewakoof sells apparel.",
                "Siddharth Munot",
                "Bewakoof"
            ),
            Some(Role::Founder)
        );
        // The founding must open the sentence: here "it" was founded, and Acme Corp only speaks.
        assert_eq!(role("It was founded by Ann Lee, Acme Corp said.", "Ann Lee", "Acme Corp"), None);
        assert_eq!(
            role("Al Jazeeras Dorsa Jabbari, reporting from Moscow, says", "Dorsa Jabbari", "Al Jazeeras"),
            Some(Role::Employee)
        );
        assert_eq!(role("Al Jazeeras Dorsa Jabbari says", "Dorsa Jabbari", "Al Jazeeras"), None);
        // A described organisation needs a kind-of-organisation noun, not any words.
        assert_eq!(role("said Ann Lee of the town near Acme Corp", "Ann Lee", "Acme Corp"), None);
        assert_eq!(role("Reuters/Ipsos polled Ann Lee", "Ann Lee", "Reuters"), None);
        assert_eq!(
            role("Cromwell represented Australia.(AAP: Martin Rickett)", "Martin Rickett", "AAP"),
            Some(Role::Employee)
        );
        assert_eq!(role("Article By Greg Morcroft, Fintel", "Greg Morcroft", "Fintel"), Some(Role::Employee));
        assert_eq!(
            role(
                "Shireen Abu Akleh, a Palestinian American and longtime Al Jazeera correspondent, was shot",
                "Shireen Abu Akleh",
                "Al Jazeera"
            ),
            Some(Role::Employee)
        );
        assert_eq!(role("Ann Lee, a longtime critic of Acme chief executive Bo Li, said", "Ann Lee", "Acme"), None);
        assert_eq!(role("behind Prime Minister Mark Rutte's VVD party.", "Mark Rutte", "VVD"), Some(Role::OtherRole));
        assert_eq!(
            role(
                "economists like David MacDonald from the Canadian Centre for Policy Alternatives",
                "David MacDonald",
                "Canadian Centre for Policy Alternatives"
            ),
            Some(Role::AnalystAt)
        );
        assert_eq!(
            role("says Brian Wong, Alibaba Group vice-president", "Brian Wong", "Alibaba Group"),
            Some(Role::Executive)
        );
        assert_eq!(
            role("said Linda Thomas-Greenfield, ambassador to the U.N.", "Linda Thomas-Greenfield", "U.N."),
            Some(Role::OtherRole)
        );
        assert_eq!(
            role("Russian Ambassador to NATO Alexander Grushko said", "Alexander Grushko", "NATO"),
            Some(Role::OtherRole)
        );
        assert_eq!(role("the judge of Mr Trump's Twitter criticism was", "Trump", "Twitter"), None);
        // A description of the organisation before the passive, and a longer one of the person.
        assert_eq!(
            role(
                "Two funds are run by Solamere Capital, an investment team headed by former Republican presidential candidate Mitt Romney.",
                "Mitt Romney",
                "Solamere Capital"
            ),
            Some(Role::Executive)
        );
        // A second title after the first one's organisation.
        assert_eq!(
            role(
                "Neal Roberts, chief of the Middlesex-London Paramedic Service and past president of the OAPC, said so.",
                "Neal Roberts",
                "OAPC"
            ),
            Some(Role::Ceo),
            "a president; role_at makes it an executive of an association"
        );
        assert_eq!(
            role(
                "Caleb Weiss is a contributor to FDD's Long War Journal and a senior analyst at the Bridgeway Foundation.",
                "Caleb Weiss",
                "Bridgeway Foundation"
            ),
            Some(Role::AnalystAt)
        );
        assert_eq!(
            role("Ann Lee, chief of the Paramedic Service and a critic of the OAPC, said so.", "Ann Lee", "OAPC"),
            None
        );
        // A person's own staff at a body is not the person's title there.
        assert_eq!(
            role(
                "He had asked to bring in his own staff at the National Security Council, Mr Harward said.",
                "Harward",
                "National Security Council"
            ),
            None
        );
        assert_eq!(role("reaction to President Trump's Congress address", "Trump", "Congress"), None);
        // A list item, not a caption; a person named by an outlet mid-sentence.
        assert_eq!(role("Partners: AAP: Martin Rickett and others", "Martin Rickett", "AAP"), None);
        assert_eq!(role("The fund was set up by Ann Lee, Acme Corp and two banks.", "Ann Lee", "Acme Corp"), None);
    }

    #[test]
    fn being_quoted_by_or_named_next_to_an_organisation_states_nothing() {
        assert_eq!(role("John Smith told Reuters on Monday.", "John Smith", "Reuters"), None);
        assert_eq!(role("Trump attacked CNN and the Washington Post.", "Trump", "CNN"), None);
        assert_eq!(role("Reuters reported that John Smith resigned.", "John Smith", "Reuters"), None);
        assert_eq!(role("Jack Ma met Trump as Alibaba shares rose.", "Jack Ma", "Alibaba"), None);
        assert_eq!(role("committed to NATO despite US President Donald Trump's words", "Donald Trump", "NATO"), None);
        assert_eq!(role("CNN interviewed president Joe Biden", "Joe Biden", "CNN"), None);
    }
}
