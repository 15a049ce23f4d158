//! The baseline: the same call written by hand with reqwest alone. A POST
//! of a query with the parameters an SDK call carries (common parameters,
//! `RegionId`, the operation's own, a signature), built once, with the
//! `x-acs-action`/`x-acs-version` headers; the answer read as text.

pub struct Raw {
    http: reqwest::Client,
    url: String,
    action: &'static str,
}

impl Raw {
    /// `params`: the operation's own, encoded, each as `&Name=value`.
    pub fn new(endpoint: &str, action: &'static str, params: &str) -> Raw {
        let url = format!(
            "{endpoint}/?Action={action}&Format=JSON&Version=2014-05-26\
             &AccessKeyId=test-access-key-id&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0\
             &SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\
             &Timestamp=2024-05-28T08%3A00%3A00Z&RegionId=cn-hangzhou{params}\
             &Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D"
        );
        Raw {
            http: reqwest::Client::new(),
            url,
            action,
        }
    }

    /// One call; the body as text.
    pub async fn text(&self) -> String {
        let response = self
            .http
            .post(&self.url)
            .header("x-acs-action", self.action)
            .header("x-acs-version", "2014-05-26")
            .send()
            .await
            .expect("raw call");
        assert!(response.status().is_success(), "{}", response.status());
        response.text().await.expect("raw body")
    }
}
