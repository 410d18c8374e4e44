//! Finding people at a session's tables (staff): by part of a name or organisation, with the
//! table each sits at, for moving someone. A point read of the records, bounded.

use super::TablesRecords;
use plenum_protocol::{AtTables, limits};

/// The people taking part whose name or organisation holds `query` (any case; empty: anyone),
/// at most `limits::MAX_FOUND_AT_TABLES`, by name, then person id.
pub fn find(records: &TablesRecords, query: &str) -> Vec<AtTables> {
    let query = query.trim().to_lowercase();
    let holds = |s: &Option<String>| {
        s.as_deref()
            .is_some_and(|s| s.to_lowercase().contains(&query))
    };
    let mut found: Vec<AtTables> = records
        .here
        .iter()
        .filter(|(_, p)| query.is_empty() || holds(&p.name) || holds(&p.organisation))
        .map(|(id, p)| AtTables {
            person: id.clone(),
            name: p.name.clone(),
            organisation: p.organisation.clone(),
            table: records.seats.get(id).copied(),
        })
        .collect();
    // By name (the nameless last), then person id.
    found.sort_by(|a, b| {
        (a.name.is_none(), &a.name, &a.person).cmp(&(b.name.is_none(), &b.name, &b.person))
    });
    found.truncate(limits::MAX_FOUND_AT_TABLES);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interactions::tables::Participant;

    #[test]
    fn finds_by_part_of_a_name_or_organisation_any_case_bounded() {
        let mut r = TablesRecords::default();
        for i in 0..30 {
            r.here.insert(
                format!("p{i:02}"),
                Participant {
                    name: Some(format!("Person {i:02}")),
                    organisation: Some(if i == 7 { "Nordic Hydrogen" } else { "Other" }.into()),
                    ..Participant::default()
                },
            );
        }
        r.seats.insert("p07".into(), 3);
        let hydrogen = find(&r, "  HYDRO ");
        assert_eq!(hydrogen.len(), 1);
        assert_eq!(
            (hydrogen[0].person.as_str(), hydrogen[0].table),
            ("p07", Some(3))
        );
        assert_eq!(find(&r, "person 1").len(), 10);
        let everyone = find(&r, "");
        assert_eq!(everyone.len(), limits::MAX_FOUND_AT_TABLES);
        assert_eq!(everyone[0].name.as_deref(), Some("Person 00"));
        assert!(find(&r, "nobody").is_empty());
    }
}
