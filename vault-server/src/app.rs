//! The router, separate from start-up so tests can drive it with
//! `tower::ServiceExt::oneshot`.

use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

/// Every route the relay answers.
pub fn app() -> Router {
    Router::new().route("/healthz", get(healthz))
}

/// Liveness: the process is up and answering.
async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    #[tokio::test]
    async fn healthz_answers_ok() {
        let res = app()
            .oneshot(
                Request::get("/healthz")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        assert_eq!(res.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn unknown_route_is_not_found() {
        let res = app()
            .oneshot(Request::get("/nope").body(Body::empty()).expect("request"))
            .await
            .expect("response");
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
}
