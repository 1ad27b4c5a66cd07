//! Following a growing file: appended lines are read, a line being written
//! is never read half, rotation and truncation are followed, and a stopped
//! follower resumes from its position.

use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use steward_logs::{FollowOptions, LogSource, Mapping, OpenOptions, StartAt, follow};

fn mapping() -> Mapping {
    Mapping::from_yaml(
        "t.yaml",
        "name: t\nfields:\n  time_ms: {path: t, time: epoch_ms}\n  event_id: id\n",
    )
    .unwrap()
}

fn line(k: usize) -> String {
    format!("{{\"t\":{},\"id\":\"e{k}\"}}\n", 1000 + k)
}

/// Follows until the returned flag is set (a long idle timeout guards
/// against a hang).
fn until_stopped(start: StartAt) -> (FollowOptions, Arc<AtomicBool>) {
    let stop = Arc::new(AtomicBool::new(false));
    let options = FollowOptions {
        start,
        poll: Duration::from_millis(5),
        idle_timeout: Some(Duration::from_secs(20)),
        stop: Some(Arc::clone(&stop)),
    };
    (options, stop)
}

/// Follows until 300 ms pass without new data.
fn quick(start: StartAt) -> FollowOptions {
    FollowOptions {
        start,
        poll: Duration::from_millis(5),
        idle_timeout: Some(Duration::from_millis(300)),
        stop: None,
    }
}

fn append(path: &std::path::Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f.flush().unwrap();
}

fn ids(source: &mut LogSource) -> Vec<String> {
    source.map(|r| r.unwrap().event_id).collect()
}

#[test]
fn reads_lines_appended_while_following_and_never_half_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("access.jsonl");
    append(&path, &(line(0) + &line(1)));
    let stop = Arc::new(AtomicBool::new(false));
    let options = FollowOptions {
        poll: Duration::from_millis(2),
        stop: Some(Arc::clone(&stop)),
        ..FollowOptions::default()
    };
    let mut source = follow(&path, &mapping(), options).unwrap();
    let writer = {
        let path = path.clone();
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            for k in 2..200 {
                let l = line(k);
                // Write each line in two pieces with a pause between, so
                // that the reader often sees a partial last line.
                let (a, b) = l.split_at(l.len() / 2);
                append(&path, a);
                if k % 10 == 0 {
                    std::thread::sleep(Duration::from_millis(3));
                }
                append(&path, b);
            }
            // A last line without its newline yet: not read.
            append(&path, "{\"t\":9999,");
            std::thread::sleep(Duration::from_millis(50));
            stop.store(true, Ordering::Relaxed);
        })
    };
    let got = ids(&mut source);
    writer.join().unwrap();
    let want: Vec<String> = (0..200).map(|k| format!("e{k}")).collect();
    assert_eq!(got, want);
    assert_eq!(source.counters().errors(), 0);
    // The position is the end of the last whole line, so a restart from it
    // reads the line that was being written once it is complete.
    let whole: u64 = (0..200).map(|k| line(k).len() as u64).sum();
    assert_eq!(source.position().offset, whole);
    assert_eq!(source.position().line, 200);
    append(&path, "\"id\":\"late\"}\n");
    let mut again = follow(&path, &mapping(), quick(StartAt::Offset(whole))).unwrap();
    assert_eq!(ids(&mut again), ["late"]);
}

#[test]
fn start_at_end_reads_only_new_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.jsonl");
    append(&path, &(line(0) + &line(1)));
    let (options, stop) = until_stopped(StartAt::End);
    let mut source = follow(&path, &mapping(), options).unwrap();
    let p = path.clone();
    let w = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        append(&p, &line(2));
        stop.store(true, Ordering::Relaxed);
    });
    assert_eq!(ids(&mut source), ["e2"]);
    w.join().unwrap();
}

#[test]
fn follows_rotation_and_truncation() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.jsonl");
    append(&path, &(line(0) + &line(1)));
    let (options, stop) = until_stopped(StartAt::Beginning);
    let mut source = follow(&path, &mapping(), options).unwrap();
    let p = path.clone();
    let rotated = dir.path().join("r.jsonl.1");
    let w = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(60));
        // The old file gets a last line without a newline, then is rotated.
        append(&p, "{\"t\":1002,\"id\":\"e2\"}");
        std::fs::rename(&p, &rotated).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        append(&p, &(line(3) + &line(4)));
        std::thread::sleep(Duration::from_millis(60));
        // Truncated and rewritten in place.
        std::fs::write(&p, line(5)).unwrap();
        std::thread::sleep(Duration::from_millis(60));
        stop.store(true, Ordering::Relaxed);
    });
    let got = ids(&mut source);
    w.join().unwrap();
    assert_eq!(got, ["e0", "e1", "e2", "e3", "e4", "e5"]);
    assert_eq!(
        source.position().offset,
        line(5).len() as u64,
        "offset in the current file"
    );
}

#[test]
fn compressed_files_cannot_be_followed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.jsonl.zst");
    std::fs::write(&path, zstd::encode_all(line(0).as_bytes(), 1).unwrap()).unwrap();
    let e = LogSource::follow(
        &path,
        &mapping(),
        quick(StartAt::Beginning),
        OpenOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("cannot follow a compressed"), "{e}");
}

#[test]
fn csv_can_be_followed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.csv");
    let m = Mapping::from_yaml(
        "c.yaml",
        "name: c\ncsv: {header: true}\nfields:\n  time_ms: {path: t, time: epoch_ms}\n  event_id: id\n",
    )
    .unwrap();
    append(&path, "t,id\n1,a\n");
    let (options, stop) = until_stopped(StartAt::Beginning);
    let mut source = follow(&path, &m, options).unwrap();
    let p = path.clone();
    let w = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(30));
        append(&p, "2,\"b");
        std::thread::sleep(Duration::from_millis(30));
        append(&p, "\nc\"\n3,d\n");
        stop.store(true, Ordering::Relaxed);
    });
    let got = ids(&mut source);
    w.join().unwrap();
    assert_eq!(got, ["a", "b\nc", "d"]);
}

#[test]
fn json_documents_resume_from_the_last_whole_document() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ct.json");
    let m = Mapping::builtin("aws-cloudtrail").unwrap();
    let doc = |a: &str, b: &str| {
        format!(
            "{{\"Records\":[{{\"eventTime\":\"2025-04-14T03:06:40Z\",\"eventID\":\"{a}\"}},\
             {{\"eventTime\":\"2025-04-14T03:06:41Z\",\"eventID\":\"{b}\"}}]}}\n"
        )
    };
    let first = doc("a1", "a2");
    append(&path, &(first.clone() + &doc("b1", "b2")));
    let mut source = follow(&path, &m, quick(StartAt::Beginning)).unwrap();
    assert_eq!(source.next().unwrap().unwrap().event_id, "a1");
    assert_eq!(source.position().offset, 0, "inside the first document");
    assert_eq!(source.next().unwrap().unwrap().event_id, "a2");
    assert_eq!(source.next().unwrap().unwrap().event_id, "b1");
    let at = source.position().offset;
    assert_eq!(at, first.len() as u64 - 1, "the end of the first document");
    // Resuming there reads the second document again, whole.
    let mut again = follow(&path, &m, quick(StartAt::Offset(at))).unwrap();
    assert_eq!(ids(&mut again), ["b1", "b2"]);
}
