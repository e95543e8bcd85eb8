//! Distance indicators and 2SFCA: a hand-computed fixture, and properties on random cases.
use crate::common::Lcg;
use bussola::access::{compute, GapReport, Params, Target};
use bussola::demo::{example_municipality, example_service};
use bussola::model::{Municipality, Service};
use bussola::surface::{Surface, SurfacePoint};

/// Kilometres per 0.1 degree of longitude on the equator, on the mean sphere.
const U: f64 = 6371.0088 * 0.1 * std::f64::consts::PI / 180.0;

fn point(lon: f64, lat: f64, m: &str, w: f64) -> SurfacePoint {
    SurfacePoint {
        lon,
        lat,
        municipality: m.into(),
        seat: false,
        total: w,
        age_65_plus: w,
        age_0_14: 0.0,
        age_0_2: 0.0,
    }
}

fn service(id: &str, lon: f64, lat: f64, m: &str, cap: u32) -> Service {
    let mut s = example_service();
    s.id = id.into();
    s.lon = lon;
    s.lat = lat;
    s.municipality = m.into();
    s.capacity = Some(cap);
    s
}

fn muni(code: &str) -> Municipality {
    let mut m = example_municipality();
    m.code = code.into();
    m.name = code.into();
    m
}

fn report(
    points: Vec<SurfacePoint>,
    services: &[Service],
    munis: &[Municipality],
    p: &Params,
) -> GapReport {
    let surface = Surface {
        points,
        method: "test".into(),
    };
    let refs: Vec<&Service> = services.iter().collect();
    compute(
        munis,
        &surface,
        &refs,
        &["ERPI".to_string()],
        Target::Age65Plus,
        p,
    )
}

/// The Gaussian decay written out again, independently of the library.
fn f(d: f64, d0: f64) -> f64 {
    if d >= d0 {
        0.0
    } else {
        ((-(d * d) / (2.0 * d0 * d0)).exp() - (-0.5f64).exp()) / (1.0 - (-0.5f64).exp())
    }
}

/// Four points on the equator at 0, 0.1, 0.2, 0.3 degrees (weights 100, 200, 300, 400; the
/// first two in A, the others in B) and three services at 0 (10 places), 0.15 (20) and 1.0
/// (30; 111 km away, no one within its catchment).
#[test]
fn hand_computed_fixture() {
    let points = vec![
        point(0.0, 0.0, "A", 100.0),
        point(0.1, 0.0, "A", 200.0),
        point(0.2, 0.0, "B", 300.0),
        point(0.3, 0.0, "B", 400.0),
    ];
    let services = [
        service("s0", 0.0, 0.0, "A", 10),
        service("s1", 0.15, 0.0, "B", 20),
        service("s2", 1.0, 0.0, "B", 30),
    ];
    let p = Params {
        threshold_km: 10.0,
        catchment_km: 20.0,
    };
    let r = report(points, &services, &[muni("A"), muni("B")], &p);
    let close = |a: f64, b: f64| (a - b).abs() < 1e-6 * b.abs().max(1.0);

    // Nearest: 0, U/2, U/2, 1.5 U.
    let reg = &r.region;
    assert!(close(
        reg.mean_km.unwrap(),
        (200.0 * 0.5 * U + 300.0 * 0.5 * U + 400.0 * 1.5 * U) / 1000.0
    ));
    assert!(
        close(reg.p90_km.unwrap(), 1.5 * U),
        "90 % of 1000 is reached only with the last point"
    );
    assert!(close(reg.people_beyond.unwrap(), 400.0) && close(reg.share_beyond.unwrap(), 0.4));
    let a = &r.municipalities[0];
    assert!(close(a.mean_km.unwrap(), 200.0 * 0.5 * U / 300.0));
    assert_eq!(a.share_beyond, Some(0.0));
    assert_eq!((a.services, a.capacity), (1, 10));
    let b = &r.municipalities[1];
    assert!(close(
        b.mean_km.unwrap(),
        (300.0 * 0.5 * U + 400.0 * 1.5 * U) / 700.0
    ));
    assert!(close(b.share_beyond.unwrap(), 400.0 / 700.0));
    assert_eq!((b.services, b.capacity), (2, 50));

    // 2SFCA with d0 = 20 km: s0 reaches p0 (0) and p1 (U); s1 reaches all four (1.5U, U/2, U/2, 1.5U).
    let d0 = 20.0;
    let r0 = 10.0 / (100.0 * f(0.0, d0) + 200.0 * f(U, d0));
    let r1 = 20.0
        / (100.0 * f(1.5 * U, d0)
            + 200.0 * f(0.5 * U, d0)
            + 300.0 * f(0.5 * U, d0)
            + 400.0 * f(1.5 * U, d0));
    let acc = [
        r0 * f(0.0, d0) + r1 * f(1.5 * U, d0),
        r0 * f(U, d0) + r1 * f(0.5 * U, d0),
        r1 * f(0.5 * U, d0),
        r1 * f(1.5 * U, d0),
    ];
    let a_want = (100.0 * acc[0] + 200.0 * acc[1]) / 300.0 * 1000.0;
    let b_want = (300.0 * acc[2] + 400.0 * acc[3]) / 700.0 * 1000.0;
    assert!(
        close(a.access_per_1000.unwrap(), a_want),
        "{:?} vs {a_want}",
        a.access_per_1000
    );
    assert!(close(b.access_per_1000.unwrap(), b_want));
    // Every place of a service someone reaches is shared out: 10 + 20 places over 1000 people.
    assert!(close(reg.access_per_1000.unwrap(), 30.0));
}

#[test]
fn no_service_at_all_means_no_distance_and_everyone_beyond() {
    let r = report(
        vec![point(0.0, 0.0, "A", 10.0)],
        &[],
        &[muni("A")],
        &Params::default(),
    );
    let a = &r.municipalities[0];
    assert_eq!((a.mean_km, a.p90_km), (None, None));
    assert_eq!(a.share_beyond, Some(1.0));
    assert_eq!(a.access_per_1000, Some(0.0));
    assert_eq!(a.services, 0);
}

fn random_case(rng: &mut Lcg) -> (Vec<SurfacePoint>, Vec<Service>) {
    let points = (0..60)
        .map(|i| {
            point(
                -8.5 + 1.5 * rng.next(),
                38.0 + 1.0 * rng.next(),
                if i % 2 == 0 { "A" } else { "B" },
                1.0 + 100.0 * rng.next(),
            )
        })
        .collect();
    let n = 1 + (rng.next() * 6.0) as usize;
    let services = (0..n)
        .map(|i| {
            service(
                &format!("s{i}"),
                -8.5 + 1.5 * rng.next(),
                38.0 + rng.next(),
                "A",
                1 + (rng.next() * 60.0) as u32,
            )
        })
        .collect();
    (points, services)
}

#[test]
fn adding_a_service_never_worsens_distance_and_removing_one_never_improves_it() {
    let mut rng = Lcg(11);
    let munis = [muni("A"), muni("B")];
    for trial in 0..200 {
        let (points, services) = random_case(&mut rng);
        let p = Params {
            threshold_km: 5.0 + 20.0 * rng.next(),
            catchment_km: 25.0,
        };
        let before = report(points.clone(), &services, &munis, &p);
        let mut more = services.clone();
        more.push(service(
            "new",
            -8.5 + 1.5 * rng.next(),
            38.0 + rng.next(),
            "B",
            30,
        ));
        let after = report(points.clone(), &more, &munis, &p);
        let fewer = &services[1..];
        let removed = report(points, fewer, &munis, &p);
        for ((b, a), r) in before
            .municipalities
            .iter()
            .chain([&before.region])
            .zip(after.municipalities.iter().chain([&after.region]))
            .zip(removed.municipalities.iter().chain([&removed.region]))
        {
            let le = |x: Option<f64>, y: Option<f64>| match (x, y) {
                (Some(x), Some(y)) => x <= y + 1e-9,
                (Some(_), None) => true,
                (None, None) => true,
                (None, Some(_)) => false,
            };
            assert!(
                le(a.mean_km, b.mean_km) && le(a.p90_km, b.p90_km),
                "trial {trial}: adding worsened {}",
                b.code
            );
            assert!(le(a.people_beyond, b.people_beyond), "trial {trial}");
            assert!(
                le(b.mean_km, r.mean_km) && le(b.p90_km, r.p90_km),
                "trial {trial}: removing improved {}",
                b.code
            );
            assert!(le(b.people_beyond, r.people_beyond), "trial {trial}");
        }
    }
}
