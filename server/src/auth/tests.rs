use super::*;

fn auth() -> Auth {
    Auth {
        secret: [7; 32],
        staff_secret: [7; 32],
        organiser_hash: Sha256::digest(b"org_secret").into(),
    }
}

#[test]
fn a_new_staff_secret_ends_staff_credentials_and_keeps_attendees() {
    let before = auth();
    let ecc = EventCode::parse("ECC2026").unwrap();
    let speaker = before
        .redeem(&before.invite(&ecc, Role::Speaker, "Sven", &[]).0, &ecc)
        .unwrap();
    let speaker_token = before.issue(&speaker);
    let staff_invite = before.invite(&ecc, Role::Moderator, "Mia", &[]).0;
    let registration = before.invite(&ecc, Role::Attendee, "Ada", &[]).0;
    let attendee_token = before.issue(&attendee());
    // The reset: a new staff secret, the attendee one kept.
    let after = Auth {
        staff_secret: [9; 32],
        ..auth()
    };
    assert_eq!(after.verify(&speaker_token), Err(AuthError::Invalid));
    assert_eq!(
        after.redeem(&staff_invite, &ecc).err(),
        Some(AuthError::Invalid)
    );
    assert_eq!(after.verify(&attendee_token).unwrap(), attendee());
    assert!(after.redeem(&registration, &ecc).is_ok());
    // A staff role cannot be slipped under the attendee secret.
    let forged = after.sign(
        PERSON_PREFIX,
        &["moderator", "ECC2026", "x", "9999999999", "M"],
    );
    assert!(
        after.verify(&forged).is_ok(),
        "signed with the staff secret: fine"
    );
    let mut mac = HmacSha256::new_from_slice(&after.secret).unwrap();
    let payload = B64.encode("moderator\nECC2026\nx\n9999999999\nM");
    mac.update(PERSON_PREFIX.as_bytes());
    mac.update(payload.as_bytes());
    let wrong_key = format!(
        "{PERSON_PREFIX}{payload}.{}",
        B64.encode(mac.finalize().into_bytes())
    );
    assert_eq!(after.verify(&wrong_key), Err(AuthError::Invalid));
}

#[test]
fn a_co_organiser_runs_one_event_and_creates_none() {
    let a = auth();
    let ecc = EventCode::parse("ECC2026").unwrap();
    let other = EventCode::parse("MALMO23").unwrap();
    let co = a
        .redeem(&a.invite(&ecc, Role::Organiser, "Clara", &[]).0, &ecc)
        .unwrap();
    assert_eq!(co.role, Role::Organiser);
    assert!(!key_holder(&co));
    // The token says the same, signed with the staff secret.
    let token = a.issue(&co);
    assert_eq!(a.verify(&token).unwrap(), co);
    let reset = Auth {
        staff_secret: [9; 32],
        ..auth()
    };
    assert_eq!(reset.verify(&token), Err(AuthError::Invalid));
    let here = RoomId::Event(ecc.clone());
    let session = RoomId::Session(ecc.clone(), SessionId::parse("s1").unwrap());
    for action in [
        Action::ManageEvent,
        Action::Announce,
        Action::SetStage,
        Action::Moderate,
        Action::RunPolls,
        Action::Follow,
    ] {
        assert!(allowed(&co, action, &here), "{action:?}");
        assert!(allowed(&co, action, &session), "{action:?}");
        assert!(
            !allowed(&co, action, &RoomId::Event(other.clone())),
            "{action:?} elsewhere"
        );
    }
    assert!(!allowed(&co, Action::CreateEvent, &here));
    let key = a.verify("org_secret").unwrap();
    assert!(key_holder(&key));
    assert!(allowed(&key, Action::CreateEvent, &RoomId::Event(other)));
}

#[test]
fn a_link_made_anew_says_so_in_every_token_it_makes() {
    let a = auth();
    let ecc = EventCode::parse("ECC2026").unwrap();
    let exp = invite_expiry();
    for (role, sessions) in [
        (Role::Attendee, Vec::new()),
        (Role::Speaker, vec![SessionId::parse("keynote").unwrap()]),
    ] {
        let first = a.invite_until(&ecc, role, "Ada", &sessions, "abcdefghijklmnop", exp, 0);
        let third = a.invite_until(&ecc, role, "Ada", &sessions, "abcdefghijklmnop", exp, 2);
        assert_ne!(first, third);
        let (one, two) = (
            a.redeem(&first, &ecc).unwrap(),
            a.redeem(&third, &ecc).unwrap(),
        );
        // The same person, through either link; only the link's count differs.
        assert_eq!((one.id.as_str(), one.link), ("inv-abcdefghijklmnop", 0));
        assert_eq!((two.id.as_str(), two.link), ("inv-abcdefghijklmnop", 2));
        assert_eq!(two.registered, role == Role::Attendee);
        assert_eq!(two.sessions, sessions);
        // A sign-in keeps it, with or without a scope or a registration before it.
        let again = a.verify(&a.issue(&two)).unwrap();
        assert_eq!(again, two);
        assert_eq!(a.verify(&a.issue(&one)).unwrap(), one);
    }
    // A count that is not a number is not a token.
    let forged = a.sign(
        INVITE_PREFIX,
        &[
            "attendee",
            "ECC2026",
            "abcdefghijklmnop",
            &exp.to_string(),
            "Ada",
            "",
            "x",
        ],
    );
    assert_eq!(a.redeem(&forged, &ecc).err(), Some(AuthError::Invalid));
    let forged = a.sign(
        PERSON_PREFIX,
        &[
            "attendee",
            "ECC2026",
            "inv-a",
            &exp.to_string(),
            "Ada",
            "",
            "",
            "-1",
        ],
    );
    assert_eq!(a.verify(&forged).err(), Some(AuthError::Invalid));
}

#[test]
fn a_recorded_invitation_is_made_again_only_under_its_own_secret() {
    let a = auth();
    let ecc = EventCode::parse("ECC2026").unwrap();
    let (token, id) = a.invite(&ecc, Role::Moderator, "Mia", &[]);
    let exp = a.redeem(&token, &ecc).map(|_| ()).and_then(|()| {
        let f = a.open(INVITE_PREFIX, &token)?;
        f[3].parse::<i64>().map_err(|_| AuthError::Invalid)
    });
    let again = a.invite_until(&ecc, Role::Moderator, "Mia", &[], &id, exp.unwrap(), 0);
    assert_eq!(again, token);
    let reset = Auth {
        staff_secret: [9; 32],
        ..auth()
    };
    assert_ne!(reset.signer(Role::Moderator), a.signer(Role::Moderator));
    assert_eq!(reset.signer(Role::Attendee), a.signer(Role::Attendee));
    assert_eq!(a.signer(Role::Moderator).len(), 16);
}

#[test]
fn a_sign_in_is_the_key_holders_until_it_expires_or_the_key_is_reset() {
    let a = auth();
    let token = a.sign_in();
    assert!(token.starts_with(SIGN_IN_PREFIX));
    let person = a.verify(&token).unwrap();
    assert!(key_holder(&person));
    // Not a person token, and no person token is one.
    assert_eq!(
        a.verify(&token.replacen(SIGN_IN_PREFIX, PERSON_PREFIX, 1)),
        Err(AuthError::Invalid)
    );
    let forged = a.sign(SIGN_IN_PREFIX, &["organiser", "1"]);
    assert_eq!(a.verify(&forged), Err(AuthError::Expired));
    let reset = Auth {
        staff_secret: [9; 32],
        ..auth()
    };
    assert_eq!(reset.verify(&token), Err(AuthError::Invalid));
    // An organiser person token must name its event.
    let no_event = a.sign(PERSON_PREFIX, &["organiser", "", "x", "99999999999", "X"]);
    assert_eq!(a.verify(&no_event), Err(AuthError::Invalid));
    assert!(a.is_organiser_key("org_secret"));
    assert!(!a.is_organiser_key("org_wrong"));
}

fn attendee() -> Person {
    Person {
        id: "abc".into(),
        name: Some("Åsa Lind".into()),
        role: Role::Attendee,
        event: Some(EventCode::parse("ECC2026").unwrap()),
        sessions: Vec::new(),
        registered: false,
        link: 0,
    }
}

#[test]
fn registration_is_a_signed_claim_not_an_id() {
    let a = auth();
    let ecc = EventCode::parse("ECC2026").unwrap();
    // A self-joined attendee whose random id happens to look like an invited one.
    let lucky = Person {
        id: "inv-abcdef".into(),
        ..attendee()
    };
    assert!(!registered(&a.verify(&a.issue(&lucky)).unwrap()));
    // A registration invitation's person is registered, on every device, with or without a
    // scope field before the claim.
    let ada = a
        .redeem(&a.invite(&ecc, Role::Attendee, "Ada", &[]).0, &ecc)
        .unwrap();
    assert!(registered(&ada));
    let again = a.verify(&a.issue(&ada)).unwrap();
    assert!(registered(&again) && again == ada);
    // Staff invitations register nobody.
    let speaker = a
        .redeem(&a.invite(&ecc, Role::Speaker, "Sven", &[]).0, &ecc)
        .unwrap();
    assert!(!registered(&speaker));
    // A claim the server never writes is refused.
    let forged = a.sign(
        PERSON_PREFIX,
        &["attendee", "ECC2026", "x", "9999999999", "X", "", "admin"],
    );
    assert_eq!(a.verify(&forged), Err(AuthError::Invalid));
}

#[test]
fn a_token_round_trips() {
    let a = auth();
    assert_eq!(a.verify(&a.issue(&attendee())).unwrap(), attendee());
}

#[test]
fn a_forged_or_altered_token_is_refused() {
    let a = auth();
    let token = a.issue(&attendee());
    // Upgrade the role in the payload, keep the signature.
    let (payload, sig) = token.strip_prefix("p1.").unwrap().split_once('.').unwrap();
    let text = String::from_utf8(B64.decode(payload).unwrap()).unwrap();
    let forged = format!(
        "p1.{}.{sig}",
        B64.encode(text.replace("attendee", "moderator"))
    );
    assert_eq!(a.verify(&forged), Err(AuthError::Invalid));
    // Signed under another secret.
    let other = Auth {
        secret: [8; 32],
        ..auth()
    };
    assert_eq!(a.verify(&other.issue(&attendee())), Err(AuthError::Invalid));
    // An invitation is not a person token.
    let invite = a
        .invite(
            &EventCode::parse("ECC2026").unwrap(),
            Role::Moderator,
            "M",
            &[],
        )
        .0;
    assert_eq!(a.verify(&invite), Err(AuthError::Invalid));
    assert_eq!(a.verify("org_wrong"), Err(AuthError::Invalid));
    assert_eq!(a.verify("org_secret").unwrap().role, Role::Organiser);
}

#[test]
fn an_invitation_is_for_one_event() {
    let a = auth();
    let ecc = EventCode::parse("ECC2026").unwrap();
    let other = EventCode::parse("MALMO23").unwrap();
    let invite = a.invite(&ecc, Role::Speaker, "Sven", &[]).0;
    assert_eq!(a.redeem(&invite, &other), Err(AuthError::WrongEvent));
    let p = a.redeem(&invite, &ecc).unwrap();
    assert_eq!(p.role, Role::Speaker);
    assert_eq!(a.redeem(&invite, &ecc).unwrap().id, p.id);
}

#[test]
fn an_invitation_naming_sessions_covers_those_sessions_only() {
    let a = auth();
    let ecc = EventCode::parse("ECC2026").unwrap();
    let s = |id: &str| SessionId::parse(id).unwrap();
    let invite = a
        .invite(&ecc, Role::Moderator, "Mia", &[s("panel"), s("pitch")])
        .0;
    let mia = a.redeem(&invite, &ecc).unwrap();
    assert_eq!(mia.sessions, vec![s("panel"), s("pitch")]);
    // The token she gets carries her scope.
    assert_eq!(a.verify(&a.issue(&mia)).unwrap(), mia);
    let room = |id: &str| RoomId::Session(ecc.clone(), s(id));
    for action in [Action::Moderate, Action::RunPolls, Action::SetStage] {
        assert!(allowed(&mia, action, &room("panel")), "{action:?}");
        assert!(!allowed(&mia, action, &room("keynote")), "{action:?}");
        assert!(
            !allowed(&mia, action, &RoomId::Event(ecc.clone())),
            "{action:?}"
        );
    }
    assert!(allowed(&mia, Action::Follow, &room("keynote")));
    // One that names none keeps the event-wide scope.
    let all = a
        .redeem(&a.invite(&ecc, Role::Moderator, "Max", &[]).0, &ecc)
        .unwrap();
    assert!(allowed(&all, Action::Moderate, &room("keynote")));
    assert!(allowed(&all, Action::Moderate, &RoomId::Event(ecc.clone())));
}

#[test]
fn an_inbox_is_its_owners_alone() {
    let ecc = EventCode::parse("ECC2026").unwrap();
    let p = attendee();
    let mine = RoomId::parse("inbox:ECC2026:abc").unwrap();
    let theirs = RoomId::parse("inbox:ECC2026:xyz").unwrap();
    assert!(allowed(&p, Action::Follow, &mine));
    assert!(!allowed(&p, Action::Follow, &theirs));
    let moderator = Person {
        role: Role::Moderator,
        id: "mod".into(),
        ..attendee()
    };
    assert!(!allowed(&moderator, Action::Follow, &theirs), "staff too");
    let organiser = Person {
        role: Role::Organiser,
        id: "organiser".into(),
        event: None,
        ..attendee()
    };
    assert!(
        !allowed(&organiser, Action::Follow, &theirs),
        "organisers too"
    );
    let _ = ecc;
}

#[test]
fn attendees_may_only_follow() {
    let ecc = EventCode::parse("ECC2026").unwrap();
    let ecc = &RoomId::Event(ecc);
    let p = attendee();
    assert!(allowed(&p, Action::Follow, ecc));
    for action in [
        Action::CreateEvent,
        Action::ManageEvent,
        Action::Announce,
        Action::SetStage,
        Action::Moderate,
        Action::RunPolls,
    ] {
        assert!(!allowed(&p, action, ecc), "{action:?}");
    }
    let elsewhere = RoomId::Event(EventCode::parse("OTHER1").unwrap());
    assert!(!allowed(&p, Action::Follow, &elsewhere));
}
