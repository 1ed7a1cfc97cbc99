//! The published SigV4 test suite (tests/data/sigv4/, from aws-c-auth): every header-signing case
//! gives the suite's canonical request, string to sign, signature and signed request.

use std::fs;
use std::path::{Path, PathBuf};

use kinesis_codec::sigv4::{
    AmzDate, Credentials, PayloadHash, Request, Settings, Signing, SigningKey,
};

struct Case {
    name: String,
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    context: serde_json::Value,
    dir: PathBuf,
}

/// Reads `request.txt`: the request line, header lines (a line starting with white space continues
/// the previous value, kept as an obsolete line folding), a blank line, the body.
fn read_case(dir: &Path) -> Case {
    let text = fs::read_to_string(dir.join("request.txt")).unwrap();
    let (head, body) = match text.split_once("\n\n") {
        Some((h, b)) => (h.to_string(), b.as_bytes().to_vec()),
        None => (text.trim_end_matches('\n').to_string(), Vec::new()),
    };
    let mut lines = head.split('\n');
    let request_line = lines.next().unwrap();
    let (method, rest) = request_line.split_once(' ').unwrap();
    let target = rest.strip_suffix(" HTTP/1.1").unwrap();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().unwrap();
            last.1.push('\n');
            last.1.push_str(line);
        } else {
            let (name, value) = line.split_once(':').unwrap();
            headers.push((name.to_string(), value.to_string()));
        }
    }
    let context =
        serde_json::from_str(&fs::read_to_string(dir.join("context.json")).unwrap()).unwrap();
    Case {
        name: dir.file_name().unwrap().to_string_lossy().into_owned(),
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers,
        body,
        context,
        dir: dir.to_path_buf(),
    }
}

fn expected(case: &Case, file: &str) -> String {
    fs::read_to_string(case.dir.join(file)).unwrap()
}

/// Header lines of a signed request as (lower-case name, value), sorted; and its request line.
fn header_set(text: &str) -> (String, Vec<(String, String)>) {
    let head = text.split("\n\n").next().unwrap();
    let mut lines = head.split('\n');
    let first = lines.next().unwrap().to_string();
    let mut out: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let last = out.last_mut().unwrap();
            last.1.push('\n');
            last.1.push_str(line);
        } else if !line.is_empty() {
            let (n, v) = line.split_once(':').unwrap();
            out.push((n.to_ascii_lowercase(), v.to_string()));
        }
    }
    out.sort();
    (first, out)
}

#[test]
fn every_header_signing_case_of_the_suite() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sigv4/suite");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 38, "the suite has 38 cases");
    for dir in &dirs {
        let case = read_case(dir);
        let c = &case.context;
        let creds = &c["credentials"];
        let token = creds["token"].as_str();
        let time = c["timestamp"].as_str().unwrap().replace(['-', ':'], "");
        let time = AmzDate::parse(&time).unwrap();
        let secret = creds["secret_access_key"].as_str().unwrap();
        let key = SigningKey::derive(
            secret,
            &time,
            c["region"].as_str().unwrap(),
            c["service"].as_str().unwrap(),
        )
        .unwrap();
        let headers: Vec<(&str, &str)> = case
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let signing = Signing {
            request: Request {
                method: &case.method,
                path: &case.path,
                query: &case.query,
                headers: &headers,
            },
            settings: Settings {
                normalize_path: c["normalize"].as_bool().unwrap(),
                sign_session_token: !c["omit_session_token"].as_bool().unwrap_or(false),
                content_sha256_header: c["sign_body"].as_bool().unwrap(),
            },
            credentials: Credentials {
                access_key_id: creds["access_key_id"].as_str().unwrap(),
                session_token: token,
            },
            time,
            payload: PayloadHash::of(&case.body),
        };

        let mut canonical = Vec::new();
        signing
            .canonical_request(&mut |b: &[u8]| canonical.extend_from_slice(b))
            .unwrap();
        assert_eq!(
            String::from_utf8(canonical).unwrap(),
            expected(&case, "header-canonical-request.txt"),
            "{}: canonical request",
            case.name
        );

        let mut sts = Vec::new();
        signing
            .string_to_sign(&key, &mut |b: &[u8]| sts.extend_from_slice(b))
            .unwrap();
        assert_eq!(
            String::from_utf8(sts).unwrap(),
            expected(&case, "header-string-to-sign.txt"),
            "{}: string to sign",
            case.name
        );

        let mut buf = [0u8; 512];
        let signed = signing.sign(&key, &mut buf).unwrap();
        assert_eq!(
            signed.signature.to_hex().as_str(),
            expected(&case, "header-signature.txt").trim(),
            "{}: signature",
            case.name
        );

        // The signed request: the request's own headers, the signer's, and Authorization.
        let mut ours: Vec<(String, String)> = case
            .headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
            .collect();
        ours.push(("x-amz-date".into(), time.as_str().into()));
        if let Some(t) = token {
            ours.push(("x-amz-security-token".into(), t.into()));
        }
        if signing.settings.content_sha256_header {
            ours.push((
                "x-amz-content-sha256".into(),
                signing.payload.to_hex().as_str().into(),
            ));
        }
        ours.push(("authorization".into(), signed.authorization.into()));
        ours.sort();
        let signed_request = expected(&case, "header-signed-request.txt");
        let (request_line, theirs) = header_set(&signed_request);
        assert_eq!(
            request_line,
            fs::read_to_string(dir.join("request.txt"))
                .unwrap()
                .lines()
                .next()
                .unwrap(),
            "{}",
            case.name
        );
        assert_eq!(ours, theirs, "{}: signed request headers", case.name);
        let their_body = signed_request
            .split_once("\n\n")
            .map(|(_, b)| b.trim_end_matches('\n'))
            .unwrap_or("");
        assert_eq!(
            their_body.as_bytes(),
            case.body.as_slice().trim_ascii_end(),
            "{}: body",
            case.name
        );
    }
}
