//! `--set KEY=VALUE`: manifest values replaced in the parsed TOML before it is read.

/// A `--set` value: TOML when it is a number, boolean or array; text otherwise, so codes such
/// as `0701` and words stay text.
fn parse_value(raw: &str, current: Option<&toml::Value>) -> toml::Value {
    if matches!(current, Some(toml::Value::String(_))) {
        return toml::Value::String(raw.to_string());
    }
    let parsed = format!("v = {raw}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"));
    match parsed {
        Some(v @ (toml::Value::Integer(_) | toml::Value::Float(_))) => v,
        Some(v @ (toml::Value::Boolean(_) | toml::Value::Array(_))) => v,
        _ => toml::Value::String(raw.to_string()),
    }
}

/// Sets a dotted key in a TOML tree, making the tables on the way; numbers index arrays.
pub(crate) fn set(root: &mut toml::Value, key: &str, raw: &str) -> std::result::Result<(), String> {
    let parts: Vec<&str> = key.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(format!(
            "'{key}' is not a dotted key such as boundaries.code"
        ));
    }
    let mut node = root;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let at = parts[..=i].join(".");
        node = match node {
            toml::Value::Table(t) => {
                if last {
                    let v = parse_value(raw, t.get(*part));
                    t.insert((*part).to_string(), v);
                    return Ok(());
                }
                t.entry(*part)
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            }
            toml::Value::Array(a) => {
                let n = a.len();
                let item = part
                    .parse::<usize>()
                    .ok()
                    .and_then(|idx| a.get_mut(idx))
                    .ok_or_else(|| format!("no item '{at}': the list has {n} (numbered from 0)"))?;
                if last {
                    *item = parse_value(raw, Some(item));
                    return Ok(());
                }
                item
            }
            _ => {
                return Err(format!(
                    "'{}' is a value, not a table",
                    parts[..i].join(".")
                ))
            }
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_makes_tables_indexes_lists_and_keeps_text_as_text() {
        let mut v: toml::Value =
            toml::from_str("id = \"a\"\n[[services]]\npath = \"s.csv\"\n").unwrap();
        set(&mut v, "services.0.fields.name", "nome").unwrap();
        set(&mut v, "boundaries.code", "0701").unwrap();
        set(&mut v, "coverage.elderly", "15").unwrap();
        assert_eq!(v["services"][0]["fields"]["name"].as_str(), Some("nome"));
        assert_eq!(v["boundaries"]["code"].as_str(), Some("0701"));
        assert_eq!(v["coverage"]["elderly"].as_integer(), Some(15));
        let e = set(&mut v, "services.3.path", "x").unwrap_err();
        assert!(e.contains("services.3") && e.contains("has 1"), "{e}");
        let e = set(&mut v, "id.x", "y").unwrap_err();
        assert!(e.contains("'id' is a value"), "{e}");
    }
}
