//! The tumbling windows' slots: closed windows list their principals in
//! byte order of their ids, whatever the order they arrived in.

use steward_detect::behaviour::windows::Windows;
use steward_model::event::PrincipalKind;

use crate::harness::{mix, read};

const WIDTH: i64 = 600_000;

#[test]
fn closed_windows_list_principals_in_byte_order() {
    // Ids that share their first eight bytes, are shorter than eight bytes,
    // end in a NUL or hold multi-byte characters: the first-eight-bytes
    // shortcut of the sort must give the order of a plain byte sort.
    let mut ids: Vec<String> = vec![
        "member-00000010".into(),
        "member-00000002".into(),
        "member-0".into(),
        "member-".into(),
        "member-\u{0}".into(),
        "b".into(),
        "b\u{0}".into(),
        "".into(),
        "직원-0042".into(),
        "직원-0041".into(),
        "z-very-long-principal-name-beyond-twenty-four-bytes".into(),
    ];
    for k in 0..200u64 {
        ids.push(format!("s-{:x}", mix(k)));
    }
    let mut windows: Windows<u64> = Windows::default();
    for (k, id) in ids.iter().enumerate() {
        let t = 1_000 + k as i64;
        let ev = read(t, id, PrincipalKind::Staff, "7");
        let slot = windows.slot(&ev, WIDTH, || "staff".into()).unwrap();
        slot.acc += 1;
    }
    // A second event of one principal lands in its existing slot.
    let again = read(2_000, "b", PrincipalKind::Staff, "8");
    windows.slot(&again, WIDTH, || "staff".into()).unwrap().acc += 1;
    let closed = windows.advance(WIDTH, WIDTH);
    assert_eq!(closed.len(), 1);
    let got: Vec<&str> = closed[0].slots().map(|(k, _)| k.as_str()).collect();
    let mut expected: Vec<&str> = ids.iter().map(String::as_str).collect();
    expected.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    assert_eq!(got, expected);
    let b = closed[0].slots().find(|(k, _)| k == "b").unwrap();
    assert_eq!(b.1.acc, 2);
}

#[test]
fn a_new_window_after_a_busy_one_holds_only_its_own_principals() {
    let mut windows: Windows<u64> = Windows::default();
    for k in 0..50 {
        let ev = read(k, &format!("p{k}"), PrincipalKind::Staff, "1");
        windows.slot(&ev, WIDTH, || "staff".into()).unwrap().acc += 1;
    }
    let ev = read(WIDTH + 5, "late-comer", PrincipalKind::Staff, "1");
    windows.slot(&ev, WIDTH, || "staff".into()).unwrap().acc += 1;
    let closed = windows.advance(3 * WIDTH, WIDTH);
    assert_eq!(closed.len(), 2);
    assert_eq!(closed[0].len(), 50);
    assert_eq!(closed[1].len(), 1);
    assert_eq!(closed[1].slots().next().unwrap().0, "late-comer");
}
