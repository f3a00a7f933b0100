//! Object storage (global, never location-scoped): `/v1/storage/api/s3`,
//! `/v1/storage/bucket*` and `/v1/storage/user/keys`.
//!
//! Buckets are written form-encoded (`PUT`/`PATCH`/`DELETE storage/bucket`, the
//! live API's encoding); the bucket name of a delete goes in both the query string
//! (the documents' "Query Parameters") and the form body (their curl example).
//! An account without object storage answers `storage/user/keys` with 404
//! `{"message":"Storage account not found."}`: that is reclassified here so no caller
//! can mistake it for "this key is gone".

use std::collections::HashSet;

use super::models::storage::{Bucket, S3ApiInfo, S3Key, S3User};
use super::{listed_or, recover_create, ApiClient, ApiError, ErrorKind, Loc, NotFoundExt, Repeat};

const BUCKET_LIST: &str = "storage/bucket/list";
const BUCKET: &str = "storage/bucket";
const KEYS: &str = "storage/user/keys";

/// True for the API's answer when the account has no object storage at all.
pub fn is_no_storage_account(e: &ApiError) -> bool {
    e.message
        .to_ascii_lowercase()
        .contains("storage account not found")
}

/// Keeps the API's message but takes "Storage account not found." out of the
/// not-found class: the account lacks object storage, the object is not gone.
fn no_storage_is_not_gone(mut e: ApiError) -> ApiError {
    if e.kind == ErrorKind::NotFound && is_no_storage_account(&e) {
        e.kind = ErrorKind::BadRequest;
    }
    e
}

/// True when the API refused to delete a bucket because it still holds objects.
pub fn is_not_empty_refusal(e: &ApiError) -> bool {
    let lower = e.message.to_ascii_lowercase();
    matches!(e.kind, ErrorKind::Conflict | ErrorKind::BadRequest)
        && (lower.contains("not empty") || lower.contains("notempty"))
}

/// The S3 API URL of the platform.
pub async fn s3_info(client: &ApiClient) -> Result<S3ApiInfo, ApiError> {
    client.get(Loc::Global, "storage/api/s3").send().await
}

// ---- buckets ----

/// Every bucket of the account (shared per process until the next write).
pub async fn list_buckets(client: &ApiClient) -> Result<Vec<Bucket>, ApiError> {
    client.list(Loc::Global, BUCKET_LIST).await
}

/// One bucket by a fresh `GET storage/bucket?name=`, or `None` when it does not exist.
pub async fn get_bucket(client: &ApiClient, name: &str) -> Result<Option<Bucket>, ApiError> {
    match client
        .get(Loc::Global, BUCKET)
        .query("name", name)
        .send::<Bucket>()
        .await
        .map_err(no_storage_is_not_gone)
        .found()
    {
        Ok(None) => Ok(None),
        Ok(Some(bucket)) if bucket.name.is_empty() || bucket.name == name => Ok(Some(Bucket {
            name: name.to_owned(),
            ..bucket
        })),
        // Never "gone" on an answer that does not make sense.
        Ok(Some(other)) => Err(ApiError::transport(
            "GET",
            "/v1/storage/bucket",
            format!(
                "asked for bucket {name:?}, the API answered {:?}",
                other.name
            ),
        )),
        Err(e) => Err(e),
    }
}

/// One bucket, served from the list when it is there (one call for a whole
/// refresh); confirmed with a single GET before it is declared gone.
pub async fn find_bucket(client: &ApiClient, name: &str) -> Result<Option<Bucket>, ApiError> {
    let same = |b: &Bucket| b.name == name;
    listed_or(list_buckets(client), same, get_bucket(client, name)).await
}

/// A created bucket, and what is left of the key pair the API generated with it.
pub struct CreatedBucket {
    pub bucket: Bucket,
    /// Set when the bucket's creation also created the account's storage user, with
    /// a key pair nobody asked for, and that pair could not be deleted: what is
    /// left and why.
    pub unwanted_key_left: Option<String>,
}

/// Creates a bucket. A create that may have taken effect (5xx, lost answer) is
/// not repeated: the bucket is looked up instead. The account's first bucket also
/// creates its object storage user, with a key pair of its own that nothing
/// manages: that pair (and its secret) is deleted right away.
pub async fn create_bucket(
    client: &ApiClient,
    name: &str,
    billing_account_id: i64,
) -> Result<CreatedBucket, ApiError> {
    // Held only while this create may make the storage user, so that a key pair
    // created meanwhile by this process (an idcloudhost_s3_credential) is not
    // mistaken for the bucket's.
    let mut guard = Some(STORAGE_USER.lock().await);
    let makes_user = !storage_user_exists(client).await?;
    if !makes_user {
        guard.take();
    }
    let request = client
        .put(Loc::Global, BUCKET)
        .form("name", name)
        .form("billing_account_id", billing_account_id)
        .repeat(Repeat::OnlyIfRefused);
    // Bucket names are unique: the bucket of that name is the one.
    let created = recover_create(
        client,
        || request.clone().send::<Bucket>(),
        || async {
            Ok(list_buckets(client)
                .await?
                .into_iter()
                .find(|b| b.name == name))
        },
    )
    .await;
    // Also after a failed create, which may have made the user all the same.
    let unwanted_key_left = if makes_user {
        delete_every_key(client).await.err()
    } else {
        None
    };
    drop(guard);
    let created = created?;
    let bucket = if created.name.is_empty() {
        // An answer without the bucket: read it back.
        find_bucket(client, name).await?.ok_or_else(|| {
            ApiError::transport(
                "PUT",
                "/v1/storage/bucket",
                "the created bucket is not listed",
            )
        })?
    } else {
        created
    };
    Ok(CreatedBucket {
        bucket,
        unwanted_key_left,
    })
}

/// Whether the account's object storage user exists (a fresh look at its keys).
async fn storage_user_exists(client: &ApiClient) -> Result<bool, ApiError> {
    match client.get(Loc::Global, KEYS).send::<Vec<S3Key>>().await {
        Ok(_) => Ok(true),
        Err(e) if is_no_storage_account(&e) => Ok(false),
        Err(e) => Err(no_storage_is_not_gone(e)),
    }
}

/// Deletes every key pair of a storage user that was created just now (under
/// `STORAGE_USER`), so all its pairs are the API's side effect. On failure: the
/// pairs left and why.
async fn delete_every_key(client: &ApiClient) -> Result<(), String> {
    let keys: Vec<S3Key> = match client.get(Loc::Global, KEYS).send().await {
        Ok(keys) => keys,
        // No user after all (the create failed before making it): nothing to delete.
        Err(e) if is_no_storage_account(&e) => return Ok(()),
        Err(e) => return Err(format!("its key pairs could not be listed: {e}")),
    };
    let mut left = Vec::new();
    for key in keys {
        if let Err(e) = delete_key(client, &key.access_key).await.ok_if_not_found() {
            left.push(format!("{} ({e})", key.access_key));
        }
    }
    if left.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "these key pairs could not be deleted: {}",
            left.join(", ")
        ))
    }
}

/// Moves a bucket to another billing account.
pub async fn set_bucket_billing(
    client: &ApiClient,
    name: &str,
    billing_account_id: i64,
) -> Result<Bucket, ApiError> {
    let updated = client
        .patch(Loc::Global, BUCKET)
        .form("name", name)
        .form("billing_account_id", billing_account_id)
        .send::<Bucket>()
        .await
        .map_err(no_storage_is_not_gone)?;
    if updated.name.is_empty() {
        return find_bucket(client, name).await?.ok_or_else(|| {
            ApiError::transport("PATCH", "/v1/storage/bucket", "the bucket is not listed")
        });
    }
    Ok(updated)
}

/// Deletes an (empty) bucket.
pub async fn delete_bucket(client: &ApiClient, name: &str) -> Result<(), ApiError> {
    delete_named(client, BUCKET, ("name", name)).await
}

/// `DELETE path` of the object named `key = value`, the name sent in the query string
/// and in the form body alike (as the bucket and key deletes both take it).
async fn delete_named(
    client: &ApiClient,
    path: &str,
    (key, value): (&str, &str),
) -> Result<(), ApiError> {
    client
        .delete(Loc::Global, path)
        .query(key, value)
        .form(key, value)
        .send_empty()
        .await
        .map_err(no_storage_is_not_gone)
}

// ---- S3 keys ----

/// Every S3 key pair of the account (shared per process until the next write).
pub async fn list_keys(client: &ApiClient) -> Result<Vec<S3Key>, ApiError> {
    client
        .list(Loc::Global, KEYS)
        .await
        .map_err(no_storage_is_not_gone)
}

/// One key pair, or `None` when the account's key list does not have it (checked
/// a second time, uncached, before it is declared gone).
pub async fn find_key(client: &ApiClient, access_key: &str) -> Result<Option<S3Key>, ApiError> {
    let same = |k: &S3Key| k.access_key == access_key;
    let fresh = async {
        let fresh: Vec<S3Key> = client
            .get(Loc::Global, KEYS)
            .send()
            .await
            .map_err(no_storage_is_not_gone)?;
        Ok(fresh.into_iter().find(same))
    };
    listed_or(list_keys(client), same, fresh).await
}

/// Serialises, within this process, the calls that generate key pairs (a key
/// create, the bucket create that makes the storage user), so each one identifies
/// exactly the pairs its own call generated.
static STORAGE_USER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Generates a key pair and returns it. The API answers the whole list, so the new
/// pair is the one that was not there before. An account whose object storage
/// user does not exist yet gets it through `GET storage/user` (documented to create
/// the user and its first key pair); that first pair is the one returned.
pub async fn create_key(client: &ApiClient) -> Result<S3Key, ApiError> {
    let _guard = STORAGE_USER.lock().await;
    let before: Vec<S3Key> = match client.get(Loc::Global, KEYS).send::<Vec<S3Key>>().await {
        Ok(keys) => keys,
        Err(e) if is_no_storage_account(&e) => {
            let user: S3User = client
                .get(Loc::Global, "storage/user")
                .send()
                .await
                .map_err(no_storage_is_not_gone)?;
            if let [only] = user.s3_credentials.as_slice() {
                // The user and this pair were made just now, for us.
                return Ok(only.clone());
            }
            user.s3_credentials
        }
        Err(e) => return Err(e),
    };
    let before: HashSet<String> = before.into_iter().map(|k| k.access_key).collect();
    let new_in = |keys: &[S3Key]| -> Vec<S3Key> {
        keys.iter()
            .filter(|k| !before.contains(&k.access_key))
            .cloned()
            .collect()
    };
    let request = client.post(Loc::Global, KEYS);
    // The answer is the whole key list; after a failure that may have taken
    // effect, so is the lookup (when it shows a new pair).
    let after = recover_create(
        client,
        || async {
            request
                .clone()
                .send::<Vec<S3Key>>()
                .await
                .map_err(no_storage_is_not_gone)
        },
        || async {
            let keys: Vec<S3Key> = client.get(Loc::Global, KEYS).send().await?;
            Ok((!new_in(&keys).is_empty()).then_some(keys))
        },
    )
    .await?;
    match <[S3Key; 1]>::try_from(new_in(&after)) {
        Ok([key]) => return Ok(key),
        Err(several) if several.len() > 1 => {
            return Err(ApiError::transport(
                "POST",
                "/v1/storage/user/keys",
                format!(
                    "{} new key pairs appeared at once: the provider cannot tell which one it generated",
                    several.len()
                ),
            ))
        }
        Err(_) => {}
    }
    // The answer did not list the new pair (an empty or different body): ask again.
    let keys: Vec<S3Key> = client
        .get(Loc::Global, KEYS)
        .send()
        .await
        .map_err(no_storage_is_not_gone)?;
    new_in(&keys).into_iter().next().ok_or_else(|| {
        ApiError::transport(
            "POST",
            "/v1/storage/user/keys",
            "the API reported success but no new key pair appears in the key list",
        )
    })
}

/// Deletes a key pair (form-encoded `access_key`, also sent in the query string).
pub async fn delete_key(client: &ApiClient, access_key: &str) -> Result<(), ApiError> {
    delete_named(client, KEYS, ("access_key", access_key)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_storage_account_is_not_not_found() {
        let e = ApiError::from_response(
            "GET",
            "/v1/storage/user/keys",
            404,
            br#"{"message":"Storage account not found."}"#,
        );
        assert!(e.is_not_found());
        let e = no_storage_is_not_gone(e);
        assert!(!e.is_not_found());
        assert!(is_no_storage_account(&e));
        assert!(e.to_string().contains("Storage account not found."));
        let gone = no_storage_is_not_gone(ApiError::from_response(
            "GET",
            "/v1/storage/bucket",
            404,
            br#"{"message":"Bucket not found."}"#,
        ));
        assert!(gone.is_not_found());
    }

    #[test]
    fn recognises_the_not_empty_refusal() {
        for (status, body) in [
            (
                409,
                &br#"{"message":"Bucket is not empty. Only empty buckets can be deleted."}"#[..],
            ),
            (400, &br#"{"errors":{"Error":"BucketNotEmpty"}}"#[..]),
        ] {
            let e = ApiError::from_response("DELETE", "/v1/storage/bucket", status, body);
            assert!(is_not_empty_refusal(&e), "{e}");
        }
        let other = ApiError::from_response("DELETE", "/v1/storage/bucket", 503, b"oops");
        assert!(!is_not_empty_refusal(&other));
    }
}
