//! Tests of `region add`: relative paths and pairs from the command line.
use super::*;

#[test]
fn relative_paths_climb_and_descend() {
    let r = relative(Path::new("/a/b/c"), Path::new("/a/x/y.csv"));
    assert_eq!(r, Path::new("../../x/y.csv"));
    let r = relative(Path::new("/a/b"), Path::new("/a/b/y.csv"));
    assert_eq!(r, Path::new("y.csv"));
    let r = relative(Path::new("/tmp/r"), Path::new("/work/y.csv"));
    assert_eq!(r, Path::new("/work/y.csv"));
}

#[test]
fn filters_take_one_field_and_many_values() {
    let f = boundary_filter(&[
        ("nuts3".into(), "Baixo Alentejo".into()),
        ("nuts3".into(), "Alto Alentejo".into()),
    ])
    .unwrap()
    .unwrap();
    assert_eq!(f.values, ["Baixo Alentejo", "Alto Alentejo"]);
    let e = boundary_filter(&[("nuts3".into(), "A".into()), ("dico".into(), "0201".into())]);
    assert!(e.unwrap_err().to_string().contains("one field only"));
    assert_eq!(
        parse_pair("nuts3=Baixo Alentejo").unwrap(),
        ("nuts3".to_string(), "Baixo Alentejo".to_string())
    );
    assert!(parse_pair("nuts3").is_err());
}
