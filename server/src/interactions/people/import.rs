//! Participant import: the people an organiser registers, from the spreadsheet they already
//! have (CSV or XLSX, read as the agenda import reads them), one person a row under a header.
//!
//! Columns are found by their heading, in English or Swedish, in any order; others are named
//! back as ignored (a registration export has many):
//! - `name` (or `first name` and `last name`), required;
//! - `organisation`, `country` (a code like `SE` or `SWE`, or a name like `Sweden`),
//!   `languages` (codes or names, separated by commas, semicolons, slashes or spaces),
//!   `email`, `role` (`attendee`, `speaker` or `moderator`; empty: attendee), optional.
//!
//! Reading only reads: it gives every row as it would be kept and every problem, each with its
//! row and the column's heading as written, so a file with a mistake is refused whole and the
//! organiser sees all its mistakes at once. Saving is `transport::people`.

use super::normalise;
use crate::interactions::agenda::import::{names, sniff, text_cells};
use plenum_protocol::{ImportFormat, ImportProblem, Profile, Role, limits};
use std::collections::HashMap;
use std::str::FromStr;

/// One person as a row gives them, checked and tidied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub row: u32,
    pub name: String,
    /// Lower-cased.
    pub email: Option<String>,
    pub role: Role,
    pub profile: Profile,
}

/// What a file holds: its people and its problems (at most [`MAX_PROBLEMS`], then a count).
#[derive(Debug, Default)]
pub struct Read {
    pub rows: Vec<Row>,
    pub problems: Vec<ImportProblem>,
    /// Headings of the columns not read, as written.
    pub ignored: Vec<String>,
}

/// Most problems named for one file; the rest are counted.
const MAX_PROBLEMS: usize = 100;

/// The columns read, by every heading that names them (lower-cased).
const COLUMNS: &[(&str, &[&str])] = &[
    (
        "name",
        &[
            "name",
            "full name",
            "participant",
            "namn",
            "fullständigt namn",
            "deltagare",
        ],
    ),
    (
        "first",
        &["first name", "given name", "firstname", "förnamn"],
    ),
    (
        "last",
        &[
            "last name",
            "surname",
            "family name",
            "lastname",
            "efternamn",
        ],
    ),
    (
        "organisation",
        &[
            "organisation",
            "organization",
            "company",
            "affiliation",
            "org",
            "företag",
            "organisation/företag",
        ],
    ),
    ("country", &["country", "land"]),
    ("languages", &["languages", "language", "språk"]),
    (
        "email",
        &[
            "email",
            "e-mail",
            "email address",
            "e-mail address",
            "e-post",
            "epost",
            "mejl",
        ],
    ),
    ("role", &["role", "roll"]),
];

fn column(heading: &str) -> Option<&'static str> {
    let h = heading.trim().to_lowercase();
    COLUMNS
        .iter()
        .find(|(_, names)| names.contains(&h.as_str()))
        .map(|(c, _)| *c)
}

/// Reads a file of people (CSV or XLSX, told apart by their first bytes).
pub fn read(bytes: &[u8]) -> Read {
    let mut read = Read::default();
    let xlsx = match sniff(bytes) {
        ImportFormat::Xlsx => true,
        ImportFormat::Csv => false,
        _ => {
            read.problem(None, None, "is not a spreadsheet: send CSV or XLSX".into());
            return read;
        }
    };
    let grid = match text_cells(bytes, xlsx) {
        Ok(g) => g,
        Err((row, message)) => {
            read.problem(row, None, message);
            return read;
        }
    };
    let mut lines = grid
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let Some((_, header)) = lines.next() else {
        read.problem(
            None,
            None,
            "is empty: the first row names the columns".into(),
        );
        return read;
    };
    // Which cell holds what, and each column's heading as written.
    let mut at: HashMap<&'static str, (usize, String)> = HashMap::new();
    for (i, heading) in header.iter().enumerate() {
        if heading.is_empty() {
            continue;
        }
        match column(heading) {
            Some(c) if at.contains_key(c) => read.problem(
                Some(1),
                Some(heading),
                format!("names the same column as {:?}", at[c].1),
            ),
            Some(c) => drop(at.insert(c, (i, heading.clone()))),
            None => read.ignored.push(heading.clone()),
        }
    }
    if !["name", "first", "last"].iter().any(|c| at.contains_key(c)) {
        read.problem(
            Some(1),
            None,
            "has no name column: name the person's column \"name\" (or \"first name\" and \
             \"last name\")"
                .into(),
        );
        return read;
    }
    let mut emails: HashMap<String, u32> = HashMap::new();
    for (row, cells) in lines {
        if read.rows.len() >= limits::MAX_IMPORT_PEOPLE {
            read.problem(
                None,
                None,
                format!("has more than {} people", limits::MAX_IMPORT_PEOPLE),
            );
            break;
        }
        let cell = |c: &str| {
            at.get(c)
                .and_then(|(i, _)| cells.get(*i))
                .map_or("", |v| v.trim())
        };
        let heading = |c: &str| at.get(c).map(|(_, h)| h.clone());
        let mut problems: Vec<(Option<String>, String)> = Vec::new();
        let name = if at.contains_key("name") {
            cell("name").to_owned()
        } else {
            format!("{} {}", cell("first"), cell("last"))
                .trim()
                .to_owned()
        };
        let name_column = heading("name").or_else(|| heading("first"));
        let name = match crate::auth::display_name(Some(&name)) {
            Ok(Some(n)) => n,
            Ok(None) => {
                problems.push((name_column, "is empty: every person has a name".into()));
                String::new()
            }
            Err(e) => {
                problems.push((name_column, e.to_string()));
                String::new()
            }
        };
        let email = match cell("email") {
            "" => None,
            e if e.chars().count() > limits::MAX_EMAIL_CHARS => {
                problems.push((
                    heading("email"),
                    format!("is longer than {} characters", limits::MAX_EMAIL_CHARS),
                ));
                None
            }
            e if !email_address::EmailAddress::is_valid(e) => {
                problems.push((heading("email"), format!("{e:?} is not an email address")));
                None
            }
            e => {
                let e = e.to_lowercase();
                if let Some(first) = emails.get(&e) {
                    problems.push((
                        heading("email"),
                        format!("{e:?} is on row {first} too: one person a row"),
                    ));
                } else {
                    emails.insert(e.clone(), row);
                }
                Some(e)
            }
        };
        let role = match cell("role").to_lowercase().as_str() {
            "" | "attendee" | "participant" | "deltagare" => Role::Attendee,
            "speaker" | "talare" => Role::Speaker,
            "moderator" => Role::Moderator,
            other => {
                problems.push((
                    heading("role"),
                    format!("{other:?} is not a role: attendee, speaker or moderator"),
                ));
                Role::Attendee
            }
        };
        let country = match cell("country") {
            "" => None,
            c => match country(c) {
                Some(code) => Some(code),
                None => {
                    problems.push((
                        heading("country"),
                        format!("{c:?} is not a country: use a code like SE or a name like Sweden"),
                    ));
                    None
                }
            },
        };
        let mut languages = Vec::new();
        for l in cell("languages")
            .split([',', ';', '/', ' '])
            .filter(|l| !l.trim().is_empty())
        {
            match names::language(l) {
                Ok(Some(code)) if !languages.contains(&code) => languages.push(code),
                Ok(_) => {}
                Err(e) => problems.push((heading("languages"), format!("{l:?} {e}"))),
            }
        }
        let organisation = Some(cell("organisation").to_owned()).filter(|o| !o.is_empty());
        let profile = Profile {
            organisation,
            country,
            languages,
        };
        // What the profile's own rules say (length, how many languages), named by column.
        let profile = match normalise(&profile) {
            Ok(p) => p,
            Err(e) => {
                use crate::interactions::Refusal;
                let organisation = match &e {
                    Refusal::Invalid { field: Some(f), .. } | Refusal::TooLong { field: f, .. } => {
                        f.contains("organisation")
                    }
                    _ => false,
                };
                let column = heading(if organisation {
                    "organisation"
                } else {
                    "languages"
                });
                let message = e.to_string();
                // "profile.organisation: is longer…" names the profile's field: the column
                // says it here.
                let message = match message.split_once(": ") {
                    Some((field, rest)) if field.starts_with("profile.") => rest.to_owned(),
                    _ => message,
                };
                problems.push((column, message));
                Profile::default()
            }
        };
        if problems.is_empty() {
            read.rows.push(Row {
                row,
                name,
                email,
                role,
                profile,
            });
        }
        for (column, message) in problems {
            read.problem(Some(row), column.as_deref(), message);
        }
    }
    if read.rows.is_empty() && read.problems.is_empty() {
        read.problem(
            None,
            None,
            "names nobody: one person a row under the header".into(),
        );
    }
    read
}

/// A country's two-letter code from a code (`SE`, `SWE`) or an English name (`Sweden`).
fn country(value: &str) -> Option<String> {
    let v = value.trim();
    celes::Country::from_str(v)
        .or_else(|_| celes::Country::from_str(&v.replace([' ', '-', '_'], "")))
        .ok()
        .map(|c| c.alpha2.to_owned())
}

impl Read {
    fn problem(&mut self, row: Option<u32>, column: Option<&str>, message: String) {
        if self.problems.len() == MAX_PROBLEMS {
            self.problems.push(ImportProblem {
                row: None,
                column: None,
                message: "and more problems: correct these and import again".into(),
            });
        }
        if self.problems.len() > MAX_PROBLEMS {
            return;
        }
        self.problems.push(ImportProblem {
            row,
            column: column.map(str::to_owned),
            message,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(csv: &str) -> Vec<(Option<u32>, Option<String>)> {
        read(csv.as_bytes())
            .problems
            .into_iter()
            .map(|p| (p.row, p.column))
            .collect()
    }

    #[test]
    fn a_registration_export_is_read_by_its_headings() {
        let r = read(
            "Förnamn;Efternamn;E-post;Företag;Land;Språk;Biljett\n\
             Åsa;Lind;Asa.Lind@Example.se;Nordic Cluster;Sweden;svenska, English;VIP\n\
             \n\
             Jon;Berg;;;NO;;\n"
                .as_bytes(),
        );
        assert_eq!(r.problems, []);
        assert_eq!(r.ignored, ["Biljett"]);
        assert_eq!(r.rows.len(), 2);
        let asa = &r.rows[0];
        assert_eq!((asa.row, asa.name.as_str()), (2, "Åsa Lind"));
        assert_eq!(asa.email.as_deref(), Some("asa.lind@example.se"));
        assert_eq!(asa.role, Role::Attendee);
        assert_eq!(asa.profile.organisation.as_deref(), Some("Nordic Cluster"));
        assert_eq!(asa.profile.country.as_deref(), Some("SE"));
        assert_eq!(asa.profile.languages, ["sv", "en"]);
        // A blank line is a row a spreadsheet shows.
        assert_eq!(
            (r.rows[1].row, r.rows[1].profile.country.as_deref()),
            (4, Some("NO"))
        );
    }

    #[test]
    fn every_mistake_is_named_by_row_and_column() {
        let csv = "Name,Email,Country,Role,Languages\n\
                   Ada,ada@example.org,SE,speaker,en\n\
                   ,bob@example.org,SE,,\n\
                   Cy,not-an-address,Atlantis,chair,en\n\
                   Di,ADA@example.org,,,klingon-ish\n";
        assert_eq!(
            problems(csv),
            [
                (Some(3), Some("Name".into())),
                (Some(4), Some("Email".into())),
                (Some(4), Some("Role".into())),
                (Some(4), Some("Country".into())),
                (Some(5), Some("Email".into())),
                (Some(5), Some("Languages".into())),
            ]
        );
        // Only the good rows are people; the file is refused whole by whoever saves it.
        assert_eq!(read(csv.as_bytes()).rows.len(), 1);
    }

    #[test]
    fn a_file_without_people_or_names_says_so() {
        assert_eq!(
            problems("Email,Country\nada@example.org,SE\n"),
            [(Some(1), None)]
        );
        assert_eq!(problems("Name\n"), [(None, None)]);
        assert_eq!(problems(""), [(None, None)]);
        assert_eq!(problems("{\"not\": \"a sheet\"}"), [(None, None)]);
        assert_eq!(
            problems("Name,Namn\nAda,Ada\n"),
            [(Some(1), Some("Namn".into()))]
        );
    }

    #[test]
    fn the_bounds_hold() {
        let mut csv = String::from("name\n");
        for i in 0..limits::MAX_IMPORT_PEOPLE {
            csv.push_str(&format!("Person {i}\n"));
        }
        let r = read(csv.as_bytes());
        assert_eq!(
            (r.rows.len(), r.problems.len()),
            (limits::MAX_IMPORT_PEOPLE, 0)
        );
        csv.push_str("One too many\n");
        let r = read(csv.as_bytes());
        assert_eq!((r.rows.len(), r.problems.len()), (0, 1));
        let mut csv = String::from("name,country\n");
        for i in 0..150 {
            csv.push_str(&format!("Person {i},XX\n"));
        }
        let r = read(csv.as_bytes());
        assert_eq!(r.problems.len(), MAX_PROBLEMS + 1, "the rest are counted");
        let long = "x".repeat(limits::MAX_ORGANISATION_CHARS + 1);
        assert_eq!(
            problems(&format!("name,organisation\nAda,{long}\n")),
            [(Some(2), Some("organisation".into()))]
        );
    }
}
