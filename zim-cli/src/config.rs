//! Where the credentials come from: the environment, or a profile of the config file.
//!
//! The file (`$ZIM_CONFIG`, else `~/.config/zim/config.toml`) holds one table per app:
//!
//! ```toml
//! default_profile = "prod"          # used when neither --profile nor ZIM_PROFILE is given
//!
//! [profiles.prod]
//! app_id = 1234567890
//! server_secret = "..."             # keep the file private (chmod 600)
//! region = "frankfurt"              # a region id; or base_url = "https://proxy.example"
//! ```
//!
//! `ZIM_APP_ID`, `ZIM_SERVER_SECRET`, `ZIM_REGION` and `ZIM_BASE_URL` override the profile's
//! values one by one. The secret is held as a `ServerSecret`, which never prints.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use zim_client::{Region, ServerSecret};

/// Where to send requests, and as which app.
#[derive(Debug)]
pub struct Credentials {
    pub app_id: u32,
    pub secret: ServerSecret,
    pub endpoint: Endpoint,
}

/// A region's host or an explicit base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    Region(Region),
    BaseUrl(String),
}

// No `Debug`: a profile holds the secret as plain text until it becomes a `ServerSecret`.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    default_profile: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    app_id: Option<u32>,
    server_secret: Option<String>,
    region: Option<String>,
    base_url: Option<String>,
}

/// The config file's path: `$ZIM_CONFIG`, else `~/.config/zim/config.toml`.
fn config_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ZIM_CONFIG") {
        return Some(PathBuf::from(path));
    }
    let home = std::env::var_os("HOME")?;
    Some(PathBuf::from(home).join(".config/zim/config.toml"))
}

fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// Reads the credentials: the profile (when one is named or the file has a default), then the
/// environment over it.
pub fn load(profile: Option<&str>) -> Result<Credentials, String> {
    let mut chosen = Profile::default();
    if let Some(path) = config_path() {
        let file = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str::<ConfigFile>(&text)
                .map_err(|err| format!("{}: {}", path.display(), err.message()))?,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => ConfigFile::default(),
            Err(err) => return Err(format!("{}: {err}", path.display())),
        };
        let name = profile.map(str::to_owned).or(file.default_profile.clone());
        if let Some(name) = name {
            let mut profiles = file.profiles;
            chosen = profiles.remove(&name).ok_or_else(|| {
                let known: Vec<&String> = profiles.keys().collect();
                format!(
                    "no profile `{name}` in {} (profiles: {known:?})",
                    path.display()
                )
            })?;
        }
    } else if let Some(name) = profile {
        return Err(format!("no config file to read profile `{name}` from"));
    }
    let app_id = match env("ZIM_APP_ID") {
        Some(text) => Some(
            text.trim()
                .parse::<u32>()
                .map_err(|_| format!("ZIM_APP_ID `{text}` is not an app id (a number)"))?,
        ),
        None => chosen.app_id,
    };
    let secret = env("ZIM_SERVER_SECRET").or(chosen.server_secret);
    let (Some(app_id), Some(secret)) = (app_id, secret) else {
        return Err(
            "no credentials: set ZIM_APP_ID and ZIM_SERVER_SECRET, or name a profile of the \
             config file with --profile (see `zim --help`)"
                .into(),
        );
    };
    let endpoint = match (env("ZIM_BASE_URL"), env("ZIM_REGION")) {
        (Some(url), _) => Endpoint::BaseUrl(url),
        (None, Some(region)) => Endpoint::Region(region_from(&region)?),
        (None, None) => match (chosen.base_url, chosen.region) {
            (Some(url), _) => Endpoint::BaseUrl(url),
            (None, Some(region)) => Endpoint::Region(region_from(&region)?),
            (None, None) => Endpoint::Region(Region::default()),
        },
    };
    Ok(Credentials {
        app_id,
        secret: ServerSecret::new(secret),
        endpoint,
    })
}

fn region_from(id: &str) -> Result<Region, String> {
    Region::from_id(id.trim()).ok_or_else(|| {
        let ids: Vec<&str> = Region::ALL.iter().map(|r| r.id()).collect();
        format!("unknown region `{id}`; one of {}", ids.join(", "))
    })
}
