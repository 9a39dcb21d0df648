//! What the server adds around every answer for clients other than the
//! suite: CORS (so a browser page can call it), a log line per request, and
//! the `WWW-Authenticate` challenge on 401.
//!
//! CORS is tower-http's layer. Preflight `OPTIONS` requests are answered by
//! it, never routed: no document lists `OPTIONS`, and a browser must get its
//! permission before it sends the documented request.

use std::time::Instant;

use axum::extract::Request;
use axum::http::header::{HeaderName, HeaderValue, ALLOW, WWW_AUTHENTICATE};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use tower_http::cors::{AllowHeaders, AllowMethods, AllowOrigin, CorsLayer};

use super::MockError;

/// Which browser origins may call the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Cors {
    /// Any origin (the default: the server holds only invented data).
    #[default]
    Any,
    /// Only these origins (`https://app.example.com`).
    Origins(Vec<String>),
    /// No CORS headers at all; preflights get 405 like any undocumented method.
    Off,
}

/// The CORS layer for a setting, or `None` when CORS is off. Methods and
/// headers are mirrored from the preflight rather than answered with `*`,
/// because browsers never let `*` cover `Authorization`.
pub(crate) fn cors_layer(
    cors: &Cors,
    count_header: &HeaderName,
) -> Result<Option<CorsLayer>, MockError> {
    let origin = match cors {
        Cors::Off => return Ok(None),
        Cors::Any => AllowOrigin::any(),
        Cors::Origins(list) => {
            let values = list
                .iter()
                .map(|o| {
                    HeaderValue::from_str(o.trim_end_matches('/'))
                        .map_err(|_| MockError::Option(format!("{o:?} is not an origin for CORS")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            AllowOrigin::list(values)
        }
    };
    Ok(Some(
        CorsLayer::new()
            .allow_origin(origin)
            .allow_methods(AllowMethods::mirror_request())
            .allow_headers(AllowHeaders::mirror_request())
            .expose_headers([count_header.clone(), WWW_AUTHENTICATE, ALLOW]),
    ))
}

/// Adds `WWW-Authenticate: Bearer` to 401 answers (RFC 6750 §3), so a client
/// learns which scheme to use. The suite's own answers are built without it.
pub(crate) async fn challenge(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if res.status() == StatusCode::UNAUTHORIZED && !res.headers().contains_key(WWW_AUTHENTICATE) {
        res.headers_mut().insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"conform\""),
        );
    }
    res
}

/// Prints one line per request to stderr: method, path and query, status,
/// and time taken. Headers are never printed, so tokens stay out of logs.
pub(crate) async fn log(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_string(), |p| p.as_str().to_string());
    let res = next.run(req).await;
    eprintln!("{}", log_line(&method, &target, res.status(), started));
    res
}

fn log_line(
    method: &axum::http::Method,
    target: &str,
    status: StatusCode,
    started: Instant,
) -> String {
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    format!("{method} {target} {} {ms:.1}ms", status.as_u16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_origin_is_an_option_error_naming_it() {
        let header = HeaderName::from_static("total-count");
        let err = cors_layer(&Cors::Origins(vec!["bad\norigin".into()]), &header).unwrap_err();
        assert!(err.to_string().contains("bad\\norigin"), "{err}");
        assert!(cors_layer(&Cors::Off, &header).unwrap().is_none());
        assert!(cors_layer(&Cors::Any, &header).unwrap().is_some());
    }

    #[test]
    fn log_lines_name_method_target_status_and_time() {
        let line = log_line(
            &axum::http::Method::GET,
            "/a?count=1",
            StatusCode::OK,
            Instant::now(),
        );
        assert!(line.starts_with("GET /a?count=1 200 "), "{line}");
        assert!(line.ends_with("ms"), "{line}");
    }
}
