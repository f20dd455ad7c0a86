//! The editor schema: current, in step with the loader, and right about the fixtures.

use std::fs;
use std::path::{Path, PathBuf};

use ipam_lint::load::decode::{
    ADDRESS_KEYS, BLOCK_KEYS, FILE_KEYS, NETWORK_KEYS, RANGE_KEYS, SPACE_KEYS, SUBNET_KEYS,
};
use ipam_lint::schema::json_schema;
use serde_json::Value;

fn committed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/ipam-lint.schema.json")
}

fn schema() -> Value {
    serde_json::from_str(&json_schema()).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::new(&schema()).unwrap()
}

#[test]
fn committed_schema_is_current() {
    assert!(
        fs::read_to_string(committed_path()).unwrap_or_default() == json_schema(),
        "schemas/ipam-lint.schema.json is stale: cargo run -- schema > schemas/ipam-lint.schema.json"
    );
    assert_eq!(
        schema()["$schema"],
        "http://json-schema.org/draft-07/schema#"
    );
}

fn properties(object: &Value) -> Vec<String> {
    let mut keys: Vec<String> = object["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

fn sorted(keys: &[&str]) -> Vec<String> {
    let mut keys: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
    keys.sort();
    keys
}

#[test]
fn schema_declares_exactly_the_keys_the_loader_accepts() {
    let schema = schema();
    assert_eq!(properties(&schema), sorted(FILE_KEYS));
    let definitions = &schema["definitions"];
    for (name, keys) in [
        ("SpaceEntry", SPACE_KEYS),
        ("NetworkEntry", NETWORK_KEYS),
        ("BlockEntry", BLOCK_KEYS),
        ("SubnetEntry", SUBNET_KEYS),
        ("RangeEntry", RANGE_KEYS),
        ("AddressEntry", ADDRESS_KEYS),
    ] {
        assert_eq!(properties(&definitions[name]), sorted(keys), "{name}");
        assert_eq!(definitions[name]["additionalProperties"], false, "{name}");
    }
}

/// A declaration file as a JSON value, the way an editor sees it.
fn as_json(path: &Path) -> Option<Value> {
    let text = fs::read_to_string(path).ok()?;
    if path.extension().is_some_and(|e| e == "toml") {
        toml::from_str(&text).ok()
    } else {
        serde_saphyr::from_str(&text).ok()
    }
}

fn declaration_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            declaration_files(&path, out);
        } else if path.file_name().is_some_and(|n| n != "ipam-lint.toml")
            && path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "toml")
        {
            out.push(path);
        }
    }
}

/// The fixtures and the example whose values a schema can judge: all but those marked
/// as syntax faults, which do not parse, and as invalid values, which are the linter's to
/// report.
fn judged_files() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    declaration_files(&root.join("fixtures"), &mut files);
    declaration_files(&root.join("examples"), &mut files);
    (files.into_iter())
        .map(|path| {
            let text = String::from_utf8_lossy(&fs::read(&path).unwrap()).into_owned();
            (path, text)
        })
        .filter(|(_, text)| !text.contains("expect: syntax") && !text.contains("invalid-value"))
        .collect()
}

/// The files of [`judged_files`] the schema takes, with the extension `toml` or not.
fn files_the_schema_takes(toml: bool) -> Vec<(PathBuf, String)> {
    let validator = validator();
    (judged_files().into_iter())
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "toml") == toml)
        .filter(|(path, _)| as_json(path).is_some_and(|value| validator.is_valid(&value)))
        .collect()
}

#[test]
fn fixtures_validate_unless_they_are_marked_as_schema_faults() {
    let validator = validator();
    let mut checked = 0;
    for (path, text) in judged_files() {
        let Some(value) = as_json(&path) else {
            panic!("{} does not parse", path.display());
        };
        let valid = validator.is_valid(&value);
        let marked_schema_fault = text.contains("expect: schema");
        assert_eq!(
            valid,
            !marked_schema_fault,
            "{}: schema says valid={valid}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked > 50, "only {checked} files checked");
}

#[test]
fn an_invalid_plan_fails_with_the_offending_path() {
    let plan: Value = serde_saphyr::from_str(
        "subnets:\n  - { cidr: 10.0.0.0/24, vlan: 5000 }\n  - { cidr: 10.0.1.0/24, gatway: 10.0.1.1 }\n",
    )
    .unwrap();
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(&plan)
        .map(|e| e.instance_path().to_string())
        .collect();
    assert!(errors.iter().any(|p| p == "/subnets/0/vlan"), "{errors:?}");
    assert!(errors.iter().any(|p| p == "/subnets/1"), "{errors:?}");
}

/// Every key completes with a description, in each entry and at the top.
#[test]
fn every_key_has_a_description() {
    let schema = schema();
    let mut objects = vec![("the file".to_owned(), &schema)];
    for (name, definition) in schema["definitions"].as_object().unwrap() {
        if definition.get("properties").is_some() {
            objects.push((name.clone(), definition));
        }
    }
    for (name, object) in objects {
        for (key, property) in object["properties"].as_object().unwrap() {
            let description = property["description"].as_str().unwrap_or("");
            assert!(
                !description.is_empty(),
                "{name}: `{key}` has no description"
            );
        }
    }
}

/// Texts an address or CIDR pattern must judge as the loader does: the forms people write,
/// the edge cases of both grammars, and every IPv6 form of pseudo-random values, written
/// compressed, in full, with an IPv4 tail, and with one character dropped or doubled.
fn address_texts() -> Vec<String> {
    let mut texts: Vec<String> = [
        "10.0.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "256.0.0.1",
        "10.0.0",
        "10.0.0.1.5",
        "010.0.0.1",
        "10.00.0.1",
        "1.2.3.4 ",
        " 1.2.3.4",
        "::",
        "::1",
        "1::",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8",
        "1::8",
        "1:::8",
        "::1::",
        ":1::",
        "1::2::3",
        "::ffff:10.0.0.1",
        "::10.0.0.1",
        "1:2:3:4:5:6:10.0.0.1",
        "1:2:3:4:5:6:7:10.0.0.1",
        "1::2:10.0.0.1",
        "fe80::1%eth0",
        "FE80::ABCD",
        "g::1",
        "12345::",
        "2001:db8::/32",
        "",
        "a",
        "1.2.3.4/24",
    ]
    .iter()
    .map(|t| (*t).to_owned())
    .collect();
    let mut state: u128 = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834;
    for round in 0..400u32 {
        state = state
            .wrapping_mul(0x2360_ed05_1fc6_5da4_4385_df64_9fcc_f645)
            .wrapping_add(1442695040888963407);
        // Runs of zero groups, so that every place of `::` is met.
        let mask = !(u128::MAX >> (16 * (round % 8)) << (16 * (round % 5)));
        let v6 = std::net::Ipv6Addr::from(state & mask);
        let segments = v6.segments();
        let full: Vec<String> = segments.iter().map(|s| format!("{s:x}")).collect();
        let [a, b, c, d] = v6.octets()[12..] else {
            unreachable!()
        };
        let tail = format!("{}:{a}.{b}.{c}.{d}", full[..6].join(":"));
        for text in [
            v6.to_string(),
            v6.to_string().to_uppercase(),
            full.join(":"),
            tail,
        ] {
            let at = (state as usize) % text.len().max(1);
            let mut dropped = text.clone();
            dropped.remove(at);
            let mut doubled = text.clone();
            doubled.insert(at, text.as_bytes()[at] as char);
            texts.extend([text, dropped, doubled]);
        }
    }
    texts
}

/// Whether the schema takes `value` for `key` of an address.
fn schema_takes(validator: &jsonschema::Validator, key: &str, value: &str) -> bool {
    let plan = match key {
        "cidr" => serde_json::json!({ "subnets": [{ "cidr": value }] }),
        _ => serde_json::json!({ "addresses": [{ "ip": value }] }),
    };
    validator.is_valid(&plan)
}

#[test]
fn address_and_cidr_patterns_take_what_the_loader_takes() {
    use ipam_lint::model::ip::{Addr, Prefix};
    let validator = validator();
    let mut checked = 0;
    for text in address_texts() {
        let loader = Addr::parse(&text).is_ok();
        assert_eq!(schema_takes(&validator, "ip", &text), loader, "ip {text:?}");
        for length in ["0", "8", "24", "32", "33", "64", "128", "129", "024", ""] {
            let cidr = format!("{text}/{length}");
            let loader = Prefix::parse(&cidr).is_ok();
            assert_eq!(
                schema_takes(&validator, "cidr", &cidr),
                loader,
                "cidr {cidr:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 10_000, "{checked}");
    // The values the issue was about, as typed.
    assert!(!schema_takes(&validator, "cidr", "10.3.0.300/24"));
    assert!(!schema_takes(&validator, "ip", "not-an-ip"));
}

// ---- in the editors: yaml-language-server and Taplo, from npm ----

const YAML_LANGUAGE_SERVER: &str = "yaml-language-server@1.25.0";
const TAPLO: &str = "@taplo/cli@0.7.0";

/// A directory with the editors' language tools installed from npm, once per build (and
/// by one test at a time: two installs into one directory would trip on each other).
fn editor_tools() -> PathBuf {
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let prefix = Path::new(env!("CARGO_TARGET_TMPDIR")).join("editor-tools");
    let stamp = prefix.join(format!("{YAML_LANGUAGE_SERVER} {TAPLO}").replace(['/', '@'], "_"));
    if !stamp.exists() {
        let status = std::process::Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
            .arg(&prefix)
            .args([YAML_LANGUAGE_SERVER, TAPLO])
            .status()
            .expect("npm runs");
        assert!(status.success(), "npm could not install the editor tools");
        fs::write(&stamp, "").unwrap();
    }
    prefix
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// yaml-language-server over its LSP on standard input and output, as an editor runs it,
/// with the committed schema for every YAML file.
struct YamlServer {
    child: std::process::Child,
    input: std::process::ChildStdin,
    output: std::io::BufReader<std::process::ChildStdout>,
    next_id: u64,
}

impl YamlServer {
    fn start() -> YamlServer {
        let server =
            editor_tools().join("node_modules/yaml-language-server/bin/yaml-language-server");
        let mut child = std::process::Command::new("node")
            .arg(server)
            .arg("--stdio")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("node runs");
        let input = child.stdin.take().unwrap();
        let output = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut server = YamlServer {
            child,
            input,
            output,
            next_id: 1,
        };
        server.request(
            "initialize",
            serde_json::json!({
                "processId": null, "rootUri": null,
                "capabilities": { "workspace": { "configuration": true },
                    "textDocument": { "completion": { "completionItem": {
                        "documentationFormat": ["plaintext", "markdown"] } } } }
            }),
        );
        server.notify("initialized", serde_json::json!({}));
        server.notify(
            "workspace/didChangeConfiguration",
            serde_json::json!({ "settings": Self::settings() }),
        );
        server
    }

    fn settings() -> Value {
        serde_json::json!({ "yaml": {
            "validate": true, "completion": true, "hover": true,
            "schemaStore": { "enable": false },
            "schemas": { file_uri(&committed_path()): ["*.yaml", "*.yml"] }
        } })
    }

    fn send(&mut self, message: Value) {
        use std::io::Write;
        let body = message.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.input.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(serde_json::json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The next message from the server; its requests of the client are answered on the way.
    fn receive(&mut self) -> Value {
        use std::io::{BufRead, Read};
        loop {
            let mut length = 0;
            loop {
                let mut line = String::new();
                assert!(
                    self.output.read_line(&mut line).unwrap() > 0,
                    "the server stopped"
                );
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(value) = line.strip_prefix("Content-Length: ") {
                    length = value.parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            self.output.read_exact(&mut body).unwrap();
            let message: Value = serde_json::from_slice(&body).unwrap();
            match (message.get("id"), message["method"].as_str()) {
                (Some(id), Some("workspace/configuration")) => {
                    let items = message["params"]["items"].as_array().map_or(0, Vec::len);
                    let answer: Vec<Value> = (0..items)
                        .map(|_| Self::settings()["yaml"].clone())
                        .collect();
                    let id = id.clone();
                    self.send(serde_json::json!({ "jsonrpc": "2.0", "id": id, "result": answer }));
                }
                (Some(id), Some(_)) => {
                    let id = id.clone();
                    self.send(serde_json::json!({ "jsonrpc": "2.0", "id": id, "result": null }));
                }
                _ => return message,
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(
            serde_json::json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }),
        );
        loop {
            let message = self.receive();
            if message["id"] == id {
                return message["result"].clone();
            }
        }
    }

    /// Opens `text` as the file `path` and waits for its errors (not its warnings, such as
    /// an unused anchor): (line, message).
    fn diagnostics(&mut self, path: &Path, text: &str) -> Vec<(u64, String)> {
        let uri = file_uri(path);
        self.notify(
            "textDocument/didOpen",
            serde_json::json!({ "textDocument": {
                "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
        );
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return (message["params"]["diagnostics"].as_array().unwrap().iter())
                    .filter(|d| d["severity"] == 1)
                    .map(|d| {
                        (
                            d["range"]["start"]["line"].as_u64().unwrap(),
                            d["message"].as_str().unwrap().to_owned(),
                        )
                    })
                    .collect();
            }
        }
    }
}

impl Drop for YamlServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The example and every fixture the schema takes are clean in the editor; values the
/// loader refuses are marked as typed; every key of a subnet completes with its description.
#[test]
fn yaml_language_server_validates_and_completes_with_the_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut server = YamlServer::start();
    let mut clean = 0;
    for (path, text) in files_the_schema_takes(false) {
        assert_eq!(server.diagnostics(&path, &text), [], "{}", path.display());
        clean += 1;
    }
    assert!(clean > 40, "only {clean} files");

    let typed = root.join("typed.yaml");
    let found = server.diagnostics(
        &typed,
        "subnets:\n  - cidr: 10.3.0.300/24\n    gateway: not-an-ip\n",
    );
    let lines: Vec<u64> = found.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [1, 2], "{found:?}");

    let open = root.join("open.yaml");
    server.diagnostics(&open, "subnets:\n  - cidr: 10.0.0.0/24\n    \n");
    let completion = server.request(
        "textDocument/completion",
        serde_json::json!({ "textDocument": { "uri": file_uri(&open) },
            "position": { "line": 2, "character": 4 } }),
    );
    let items = completion["items"]
        .as_array()
        .or(completion.as_array())
        .cloned()
        .unwrap_or_default();
    for key in SUBNET_KEYS.iter().filter(|key| **key != "cidr") {
        let item = (items.iter())
            .find(|item| item["label"] == *key)
            .unwrap_or_else(|| panic!("no completion for `{key}`: {items:?}"));
        let documentation = match &item["documentation"] {
            Value::String(text) => text.clone(),
            other => other["value"].as_str().unwrap_or("").to_owned(),
        };
        assert!(
            !documentation.trim().is_empty(),
            "`{key}` completes without a description: {item}"
        );
    }
}

/// Taplo lints the TOML fixtures and the example with the schema, the example through its
/// own `#:schema` line, and marks values the loader refuses.
#[test]
fn taplo_validates_toml_plans_with_the_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let taplo = editor_tools().join("node_modules/.bin/taplo");
    let lint = |args: &[&str], file: &Path| {
        std::process::Command::new(&taplo)
            .arg("lint")
            .args(args)
            .arg(file)
            .env("RUST_LOG", "error")
            .output()
            .expect("taplo runs")
    };
    let schema = file_uri(&committed_path());
    // One run for all of them: each run starts node and Taplo anew.
    let clean: Vec<PathBuf> = (files_the_schema_takes(true).into_iter())
        .map(|(path, _)| path)
        .collect();
    assert!(clean.len() > 3, "only {} files", clean.len());
    let linted = std::process::Command::new(&taplo)
        .args(["lint", "--schema", &schema])
        .args(&clean)
        .env("RUST_LOG", "error")
        .output()
        .expect("taplo runs");
    assert!(
        linted.status.success(),
        "{}",
        String::from_utf8_lossy(&linted.stderr)
    );
    // Its own line names the schema by a path relative to it.
    let example = root.join("examples/contoso/tenants/contoso.toml");
    let linted = lint(&[], &example);
    assert!(
        linted.status.success(),
        "{}",
        String::from_utf8_lossy(&linted.stderr)
    );

    let typed = tempfile::tempdir().unwrap();
    let file = typed.path().join("typed.toml");
    fs::write(
        &file,
        "[[subnets]]\ncidr = \"10.3.0.300/24\"\ngateway = \"not-an-ip\"\n",
    )
    .unwrap();
    let linted = lint(&["--schema", &schema], &file);
    assert!(!linted.status.success());
    let said = String::from_utf8_lossy(&linted.stderr);
    assert!(
        said.contains("10.3.0.300/24") && said.contains("not-an-ip"),
        "{said}"
    );
}
