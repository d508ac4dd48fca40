//! R-SDK-4: the shared vectors in testdata/vectors decode and re-encode
//! identically in Rust, as they do in TypeScript and Python.

use std::fmt::Debug;
use std::fs;
use std::path::PathBuf;

use llmpool_sdk::v1::{Answer, HealthResponse, Query};
use pbjson_types::{NullValue, value::Kind};
use prost::Message;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

/// A message type that vectors can hold.
trait Contract: Message + Default + PartialEq + Debug + Serialize + DeserializeOwned {
    /// Whether prost writes part of this message in hash order, so its bytes
    /// can come out in another order than the vector's sorted keys.
    fn hash_ordered(&self) -> bool {
        false
    }

    /// Undoes what pbjson gets wrong when it reads JSON.
    fn repair_after_json(&mut self) {}
}

impl Contract for Query {
    // `input` is a pbjson_types::Struct, whose fields live in a HashMap that
    // pbjson-types fixes when it is built: no generator option sorts them.
    // `meta` is assumed sorted (it needs `btree_map=.` in buf.gen.yaml).
    fn hash_ordered(&self) -> bool {
        self.input.is_some()
    }

    fn repair_after_json(&mut self) {
        if let Some(input) = &mut self.input {
            input.fields.values_mut().for_each(null_as_null_value);
        }
    }
}
impl Contract for Answer {}
impl Contract for HealthResponse {}

struct Vector {
    name: String,
    binary: Vec<u8>,
    json: Value,
}

/// Every `<name>.binpb` in testdata/vectors with its `<name>.json`, by name.
fn vectors() -> Vec<Vector> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../testdata/vectors");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|entry| {
            let name = entry.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".binpb").map(str::to_owned)
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let binary = fs::read(dir.join(format!("{name}.binpb"))).unwrap();
            let text = fs::read_to_string(dir.join(format!("{name}.json"))).unwrap();
            let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}.json: {e}"));
            Vector { name, binary, json }
        })
        .collect()
}

/// The outcome of the three round trips of one vector.
struct Checks {
    binary_to_binary: Result<(), String>,
    json_to_binary: Result<(), String>,
    binary_to_json: Result<(), String>,
}

fn check(v: &Vector) -> Checks {
    // The file name prefix says which message a vector holds.
    match v.name.split('-').next().unwrap() {
        "query" => check_as::<Query>(v),
        "answer" => check_as::<Answer>(v),
        "health" => check_as::<HealthResponse>(v),
        other => panic!("{}: no message for the prefix {other:?}", v.name),
    }
}

fn check_as<M: Contract>(v: &Vector) -> Checks {
    let decoded = M::decode(v.binary.as_slice()).map_err(|e| format!("binary decode: {e}"));
    let binary_to_binary = decoded
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|m| encodes_to(m, &v.binary));
    let json_to_binary = serde_json::from_value::<M>(v.json.clone())
        .map_err(|e| format!("JSON decode: {e}"))
        .and_then(|mut m| {
            m.repair_after_json();
            encodes_to(&m, &v.binary)
        });
    let binary_to_json = decoded.and_then(|m| {
        let printed = serde_json::to_value(&m).map_err(|e| format!("JSON encode: {e}"))?;
        let (printed, expected) = (numbers_as_f64(printed), numbers_as_f64(v.json.clone()));
        if printed == expected {
            Ok(())
        } else {
            Err(format!("printed {printed}\nexpected {expected}"))
        }
    });
    Checks {
        binary_to_binary,
        json_to_binary,
        binary_to_json,
    }
}

/// `message` encodes to exactly `expected`. When prost writes part of it in
/// hash order, the bytes may only differ in that order: same length, and
/// both decode to `message`.
fn encodes_to<M: Contract>(message: &M, expected: &[u8]) -> Result<(), String> {
    let encoded = message.encode_to_vec();
    if encoded == expected {
        return Ok(());
    }
    let same_but_order = message.hash_ordered()
        && encoded.len() == expected.len()
        && M::decode(encoded.as_slice()).as_ref() == Ok(message)
        && M::decode(expected).as_ref() == Ok(message);
    if same_but_order {
        Ok(())
    } else {
        Err(format!("encoded {encoded:02x?}\nexpected {expected:02x?}"))
    }
}

/// pbjson-types 0.9 reads a JSON `null` inside a Struct as a Value with no
/// kind (influxdata/pbjson#100), which encodes as an empty Value instead of
/// `null_value`; protobuf-es and Python read it as `null_value`.
fn null_as_null_value(value: &mut pbjson_types::Value) {
    match &mut value.kind {
        None => value.kind = Some(Kind::NullValue(NullValue::NullValue.into())),
        Some(Kind::StructValue(s)) => s.fields.values_mut().for_each(null_as_null_value),
        Some(Kind::ListValue(l)) => l.values.iter_mut().for_each(null_as_null_value),
        Some(_) => {}
    }
}

/// JSON has one number type: pbjson prints a double 1 as `1.0`, the vectors
/// hold `1`. 64-bit integers are JSON strings, so f64 loses nothing here.
fn numbers_as_f64(value: Value) -> Value {
    match value {
        Value::Number(n) => Value::from(n.as_f64().unwrap()),
        Value::Array(items) => items.into_iter().map(numbers_as_f64).collect(),
        Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| (k, numbers_as_f64(v)))
            .collect(),
        other => other,
    }
}

/// Runs one check on every vector and reports every vector that fails it.
fn assert_all(pick: fn(Checks) -> Result<(), String>) {
    let failures: Vec<String> = vectors()
        .iter()
        .filter_map(|v| pick(check(v)).err().map(|e| format!("{}: {e}", v.name)))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn covers_at_least_two_query_and_two_answer_vectors() {
    let vectors = vectors();
    let count = |prefix: &str| {
        vectors
            .iter()
            .filter(|v| v.name.starts_with(prefix))
            .count()
    };
    assert!(count("query-") >= 2, "fewer than two query vectors");
    assert!(count("answer-") >= 2, "fewer than two answer vectors");
}

#[test]
fn binary_decodes_and_reencodes_byte_for_byte() {
    assert_all(|c| c.binary_to_binary);
}

#[test]
fn json_decodes_to_the_message_of_the_binary() {
    assert_all(|c| c.json_to_binary);
}

#[test]
fn binary_prints_as_the_json_vector() {
    assert_all(|c| c.binary_to_json);
}

#[test]
fn query_meta_is_written_in_key_order() {
    // The vectors (and Python's deterministic output) hold map entries in key
    // order. A map is a repeated field, so the sorted encoding is the
    // one-entry encodings laid end to end in key order.
    let keys = ["trace", "hook", "cache", "tenant", "attempt", "budget"];
    let query_with = |keys: &[&str]| Query {
        meta: keys
            .iter()
            .map(|k| (k.to_string(), format!("value of {k}")))
            .collect(),
        ..Default::default()
    };
    let mut sorted = keys;
    sorted.sort();
    let expected: Vec<u8> = sorted
        .iter()
        .flat_map(|k| query_with(&[k]).encode_to_vec())
        .collect();
    assert_eq!(query_with(&keys).encode_to_vec(), expected);
}
