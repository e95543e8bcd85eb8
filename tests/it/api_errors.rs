//! Bad input gets a 400 or 404 with a JSON body naming the problem; never a 500.
use crate::common::{app, get};
use axum::http::StatusCode;

#[tokio::test]
async fn bad_input_is_a_named_client_error() {
    let (app, _) = app();
    let cases: &[(&str, StatusCode, &str)] = &[
        (
            "/api/nearest?lon=200&lat=38",
            StatusCode::BAD_REQUEST,
            "lon",
        ),
        (
            "/api/nearest?lon=-7.9&lat=-95",
            StatusCode::BAD_REQUEST,
            "lat",
        ),
        (
            "/api/nearest?lon=abc&lat=38",
            StatusCode::BAD_REQUEST,
            "lon",
        ),
        ("/api/nearest?lat=38", StatusCode::BAD_REQUEST, "lon"),
        ("/api/nearest?lon=-7.9", StatusCode::BAD_REQUEST, "lat"),
        (
            "/api/nearest?lon=-7.9&lat=38.5&k=0",
            StatusCode::BAD_REQUEST,
            "k",
        ),
        (
            "/api/nearest?lon=-7.9&lat=38.5&k=10000",
            StatusCode::BAD_REQUEST,
            "k",
        ),
        (
            "/api/nearest?lon=-7.9&lat=38.5&k=-1",
            StatusCode::BAD_REQUEST,
            "k",
        ),
        (
            "/api/nearest?lon=-7.9&lat=38.5&type=HOSPITAL",
            StatusCode::BAD_REQUEST,
            "type",
        ),
        (
            "/api/nearest?lon=-7.9&lat=38.5&group=pets",
            StatusCode::BAD_REQUEST,
            "group",
        ),
        (
            "/api/nearest?lon=-7.9&lat=38.5&max_km=-3",
            StatusCode::BAD_REQUEST,
            "max_km",
        ),
        (
            "/api/nearest?lon=-7.9&lat=38.5&lng=3",
            StatusCode::BAD_REQUEST,
            "lng",
        ),
        (
            "/api/nearest?lon=NaN&lat=38.5",
            StatusCode::BAD_REQUEST,
            "lon",
        ),
        ("/api/services?bbox=1,2,3", StatusCode::BAD_REQUEST, "bbox"),
        (
            "/api/services?bbox=a,b,c,d",
            StatusCode::BAD_REQUEST,
            "bbox",
        ),
        (
            "/api/services?bbox=-7,38,-8,39",
            StatusCode::BAD_REQUEST,
            "bbox",
        ),
        (
            "/api/services?bbox=-7,38,-6,99",
            StatusCode::BAD_REQUEST,
            "bbox",
        ),
        ("/api/services?limit=0", StatusCode::BAD_REQUEST, "limit"),
        (
            "/api/services?limit=100000",
            StatusCode::BAD_REQUEST,
            "limit",
        ),
        ("/api/services?offset=x", StatusCode::BAD_REQUEST, "offset"),
        ("/api/services?type=nope", StatusCode::BAD_REQUEST, "type"),
        (
            "/api/services?municipality=9999",
            StatusCode::BAD_REQUEST,
            "municipality",
        ),
        (
            "/api/services/does-not-exist",
            StatusCode::NOT_FOUND,
            "does-not-exist",
        ),
        (
            "/api/coverage?indicator=teeth",
            StatusCode::BAD_REQUEST,
            "indicator",
        ),
        (
            "/api/coverage?indicator=elderly&format=xml",
            StatusCode::BAD_REQUEST,
            "format",
        ),
        (
            "/api/coverage?indicator=elderly&target=-1",
            StatusCode::BAD_REQUEST,
            "target",
        ),
        ("/api/nowhere", StatusCode::NOT_FOUND, "/api/nowhere"),
        ("/api/places", StatusCode::BAD_REQUEST, "q"),
        (
            "/api/places?q=evora&limit=0",
            StatusCode::BAD_REQUEST,
            "limit",
        ),
    ];
    for (uri, status, names) in cases {
        let (got, body) = get(&app, uri).await;
        assert_eq!(got, *status, "{uri}: {body}");
        let msg = body["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{uri}: no error message: {body}"));
        assert!(
            msg.contains(names),
            "{uri}: '{msg}' does not name '{names}'"
        );
        if *status == StatusCode::BAD_REQUEST {
            assert_eq!(body["parameter"], *names, "{uri}");
        }
    }
}
