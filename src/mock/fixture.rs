//! The fixture: tokens with their roles, path-parameter values a suite cannot
//! create, and seed objects, read from TOML.

use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::MockError;
use crate::api::Api;

/// The default fixture, `fixtures/mock.toml`.
const BUILTIN: &str = include_str!("../../fixtures/mock.toml");

/// Who may call the server and what exists before the first request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// Path-parameter values, by parameter name; the first is handed to suites.
    #[serde(default)]
    params: BTreeMap<String, OneOrMany>,
    /// Bearer tokens and the roles they hold.
    #[serde(default)]
    tokens: Vec<TokenSpec>,
    /// Seed objects by definition name.
    #[serde(default)]
    seed: BTreeMap<String, Vec<Seed>>,
    /// The parameters [`Fixture::completed`] gave a value of its own.
    #[serde(skip)]
    invented: Vec<String>,
}

/// A bearer token and the documented role names it holds.
#[derive(Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSpec {
    /// The secret sent as `Authorization: Bearer <token>`.
    pub token: String,
    /// Role names as the docs write them (`Tenant Administrator`).
    pub roles: Vec<String>,
}

impl fmt::Debug for TokenSpec {
    /// Never prints the token: fixtures hold secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSpec")
            .field("token", &"<redacted>")
            .field("roles", &self.roles)
            .finish()
    }
}

/// One seed object: its members, and whether the server refuses to delete it.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Seed {
    /// A built-in object (a built-in role) cannot be deleted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub builtin: bool,
    /// The object's members, as the definition names them.
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

impl Seed {
    /// An object known only by the id the fixture lists for a path
    /// parameter. Deleting it removes it from its collection, but the id
    /// still names it: the fixture says it exists.
    pub fn listed(id: &str) -> Seed {
        let mut fields = Map::new();
        fields.insert("Id".into(), Value::from(id));
        Seed {
            builtin: false,
            fields,
        }
    }

    /// The seed's `Id` member.
    pub fn id(&self) -> Option<&str> {
        self.fields.get("Id").and_then(Value::as_str)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn values(&self) -> &[String] {
        match self {
            OneOrMany::One(v) => std::slice::from_ref(v),
            OneOrMany::Many(vs) => vs,
        }
    }
}

impl Fixture {
    /// Reads and checks a fixture file.
    pub fn load(path: &Path) -> Result<Fixture, MockError> {
        let text = std::fs::read_to_string(path).map_err(|e| MockError::Fixture {
            file: path.display().to_string(),
            message: e.to_string(),
        })?;
        Fixture::parse(&path.display().to_string(), &text)
    }

    /// The default fixture, `fixtures/mock.toml`, compiled in.
    pub fn builtin() -> Fixture {
        // The embedded file is checked by a test; an empty fixture is the
        // only sane answer should it ever fail to read.
        Fixture::parse("fixtures/mock.toml", BUILTIN).unwrap_or_else(|_| Fixture {
            params: BTreeMap::new(),
            tokens: Vec::new(),
            seed: BTreeMap::new(),
            invented: Vec::new(),
        })
    }

    /// The text of the default fixture, comments and all, to start one's
    /// own from (`conform mock --print-fixture`).
    pub fn builtin_text() -> &'static str {
        BUILTIN
    }

    /// Parses fixture text; `source` names it in errors.
    pub fn parse(source: &str, text: &str) -> Result<Fixture, MockError> {
        let err = |message: String| MockError::Fixture {
            file: source.to_string(),
            message,
        };
        let fixture: Fixture = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        for (name, values) in &fixture.params {
            if values.values().is_empty() || values.values().iter().any(|v| v.trim().is_empty()) {
                return Err(err(format!("parameter `{name}` needs a non-empty value")));
            }
        }
        for (i, token) in fixture.tokens.iter().enumerate() {
            if token.token.trim().is_empty() {
                return Err(err(format!("token #{} is empty", i + 1)));
            }
            // A bearer token is one word of visible ASCII (RFC 6750's
            // b64token and more): anything else never arrives whole in an
            // `Authorization` header, so no client could use it.
            if !token.token.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(err(format!(
                    "token #{} holds a space or a character outside visible ASCII",
                    i + 1
                )));
            }
            if fixture.tokens[..i].iter().any(|t| t.token == token.token) {
                return Err(err(format!("token #{} repeats an earlier token", i + 1)));
            }
        }
        for (definition, seeds) in &fixture.seed {
            for (i, seed) in seeds.iter().enumerate() {
                if seed.id().is_none_or(|id| id.trim().is_empty()) {
                    return Err(err(format!(
                        "seed {definition} #{} needs a non-empty string `Id`",
                        i + 1
                    )));
                }
            }
        }
        Ok(fixture)
    }

    /// Path-parameter values a suite cannot create, one per parameter.
    pub fn params(&self) -> Vec<(String, String)> {
        self.params
            .iter()
            .filter_map(|(name, v)| v.values().first().map(|v| (name.clone(), v.clone())))
            .collect()
    }

    /// Every path parameter the fixture names with every value it allows,
    /// by name.
    pub fn all_params(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.params
            .iter()
            .map(|(name, v)| (name.as_str(), v.values()))
    }

    /// Whether [`Fixture::completed`] made up the parameter's value: the
    /// fixture named none and no resource of the documents stands for it.
    pub fn is_invented(&self, name: &str) -> bool {
        self.invented.iter().any(|n| n == name)
    }

    /// Every value the fixture allows for a path parameter, if it names it.
    pub fn param_values(&self, name: &str) -> Option<&[String]> {
        self.params.get(name).map(OneOrMany::values)
    }

    /// The tokens and their roles.
    pub fn tokens(&self) -> &[TokenSpec] {
        &self.tokens
    }

    /// A token holding every role any token of the fixture holds.
    pub fn admin_token(&self) -> Option<&str> {
        let mut all: Vec<&str> = self
            .tokens
            .iter()
            .flat_map(|t| t.roles.iter().map(String::as_str))
            .collect();
        all.sort_unstable();
        all.dedup();
        self.tokens
            .iter()
            .find(|t| all.iter().all(|r| t.roles.iter().any(|h| h == r)))
            .map(|t| t.token.as_str())
    }

    /// The seed objects of a definition.
    pub fn seeds(&self, definition: &str) -> &[Seed] {
        self.seed.get(definition).map_or(&[], Vec::as_slice)
    }

    /// The fixture completed for the documents it serves: a value for
    /// every path parameter that no resource stands for and the fixture
    /// does not name (so suites can call every operation, and the server
    /// can tell a known value from an unknown one), and every role the
    /// documents list added to the token holding the most roles (the
    /// administrator, who may call everything).
    pub fn completed(mut self, api: &Api) -> Fixture {
        for name in api.free_params() {
            if !self.params.contains_key(&name) {
                self.params
                    .insert(name.clone(), OneOrMany::One(invented_value(&name)));
                self.invented.push(name);
            }
        }
        let admin = self
            .tokens
            .iter()
            .enumerate()
            .max_by_key(|(i, t)| (t.roles.len(), std::cmp::Reverse(*i)))
            .map(|(i, _)| i);
        if let Some(admin) = admin {
            let roles = &mut self.tokens[admin].roles;
            for c in &api.contracts {
                for role in c.operations.iter().flat_map(|o| &o.roles) {
                    if !roles.iter().any(|r| r.eq_ignore_ascii_case(role)) {
                        roles.push(role.clone());
                    }
                }
            }
        }
        self
    }
}

impl Fixture {
    /// The fixture as TOML that [`Fixture::parse`] reads back into the same
    /// fixture (`conform mock DOCS --print-fixture`): its parameters, each
    /// invented value marked by a comment, then its tokens and seeds.
    pub fn to_toml(&self) -> Result<String, MockError> {
        #[derive(Serialize)]
        struct Rest<'a> {
            tokens: &'a [TokenSpec],
            seed: &'a BTreeMap<String, Vec<Seed>>,
        }
        let err = |message: String| MockError::Fixture {
            file: "the completed fixture".into(),
            message,
        };
        let mut out = String::from(
            "# The fixture of `conform mock`, completed for the documents it serves:\n\
             # a value for every path parameter no resource stands for, and every\n\
             # documented role held by the administrator token. `--fixture` reads it.\n\n\
             [params]\n",
        );
        for (name, values) in &self.params {
            if self.is_invented(name) {
                let _ = writeln!(
                    out,
                    "# invented: the fixture named no value and the documents no way to create one"
                );
            }
            let value = match values {
                OneOrMany::One(v) => toml::Value::from(v.as_str()),
                OneOrMany::Many(vs) => toml::Value::from(vs.clone()),
            };
            let _ = writeln!(out, "{} = {value}", toml_key(name));
        }
        out.push('\n');
        let rest = Rest {
            tokens: &self.tokens,
            seed: &self.seed,
        };
        out.push_str(&toml::to_string(&rest).map_err(|e| err(e.to_string()))?);
        Ok(out)
    }
}

/// A TOML key: bare where TOML allows it, else a quoted string.
fn toml_key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        name.to_string()
    } else {
        toml::Value::from(name).to_string()
    }
}

/// A stable GUID-shaped value for a path parameter the fixture does not
/// name: the same name always gets the same value, and different names
/// (almost always) different ones.
fn invented_value(name: &str) -> String {
    // FNV-1a, twice with different offsets, for 128 stable bits.
    let hash = |offset: u64| {
        name.bytes().fold(offset, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let bits =
        (u128::from(hash(0xcbf2_9ce4_8422_2325)) << 64) | u128::from(hash(0x8422_2325_cbf2_9ce4));
    // Version 4 and the RFC 4122 variant, so it reads as a random GUID.
    let bits = (bits & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    uuid::Uuid::from_u128(bits).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_names_every_free_parameter_and_gives_the_admin_every_role() {
        let docs =
            crate::spec::load_all(&["fixtures/corpus/family/sequential-data-store"]).unwrap();
        let api = Api::new(docs);
        let fixture = Fixture::builtin().completed(&api);
        let ns = fixture
            .param_values("namespaceId")
            .expect("namespaceId gets a value");
        assert!(uuid::Uuid::parse_str(&ns[0]).is_ok());
        assert_eq!(ns[0], invented_value("namespaceId"), "stable");
        assert_ne!(invented_value("namespaceId"), invented_value("streamId"));
        // Configured values are kept.
        assert_eq!(
            fixture.param_values("tenantId"),
            Fixture::builtin().param_values("tenantId")
        );
        let admin = fixture.admin_token().unwrap();
        let roles = &fixture
            .tokens()
            .iter()
            .find(|t| t.token == admin)
            .unwrap()
            .roles;
        for c in &api.contracts {
            for role in c.operations.iter().flat_map(|o| &o.roles) {
                assert!(roles.contains(role), "{role}");
            }
        }
    }

    #[test]
    fn the_completed_fixture_prints_as_toml_that_reads_back_the_same() {
        let docs =
            crate::spec::load_all(&["fixtures/corpus/family/sequential-data-store"]).unwrap();
        let text =
            "[params]\n'odd name' = ['a', 'b']\n\n[[tokens]]\ntoken = 't'\nroles = ['R']\n\n\
                    [[seed.Thing]]\nbuiltin = true\nId = 'x'\nTags = [{ Name = 'n', N = 2 }]\n";
        let fixture = Fixture::parse("f.toml", text)
            .unwrap()
            .completed(&Api::new(docs));
        assert!(fixture.is_invented("namespaceId"));
        assert!(!fixture.is_invented("odd name"));
        let printed = fixture.to_toml().unwrap();
        assert!(
            printed.contains("\"odd name\" = [\"a\", \"b\"]"),
            "{printed}"
        );
        let back = Fixture::parse("printed", &printed).unwrap();
        assert!(!back.is_invented("namespaceId"), "read back, it is named");
        let all = |f: &Fixture| -> Vec<(String, Vec<String>)> {
            f.all_params()
                .map(|(n, v)| (n.to_string(), v.to_vec()))
                .collect()
        };
        assert_eq!(all(&back), all(&fixture));
        assert_eq!(back.tokens()[0].roles, fixture.tokens()[0].roles);
        let seed = &back.seeds("Thing")[0];
        assert!(seed.builtin);
        assert_eq!(seed.fields, fixture.seeds("Thing")[0].fields);
    }

    /// A token with a space was accepted, and no client could send it.
    #[test]
    fn regression_a_token_with_a_space_was_accepted() {
        for bad in ["two words", "tab\there", "caf\u{e9}"] {
            let text = format!("[[tokens]]\ntoken = \"{bad}\"\nroles = [\"Tenant Member\"]\n");
            let e = Fixture::parse("f.toml", &text).expect_err(bad).to_string();
            assert!(e.contains("token #1 holds a space"), "{e}");
        }
        let ok = "[[tokens]]\ntoken = \"abc-123._~+/=\"\nroles = [\"Tenant Member\"]\n";
        assert!(Fixture::parse("f.toml", ok).is_ok());
    }

    #[test]
    fn builtin_fixture_reads_and_names_an_admin_and_a_member() {
        let f = Fixture::parse("fixtures/mock.toml", BUILTIN).unwrap();
        let admin = f.admin_token().unwrap();
        let admin_roles = &f.tokens().iter().find(|t| t.token == admin).unwrap().roles;
        for role in [
            "Tenant Administrator",
            "Tenant Member",
            "Community Administrator",
            "Community Member",
        ] {
            assert!(admin_roles.iter().any(|r| r == role), "{role}");
        }
        let member = f.tokens().iter().find(|t| t.token != admin).unwrap();
        assert_eq!(member.roles, ["Tenant Member", "Community Member"]);
        let params = f.params();
        assert!(params.iter().any(|(n, _)| n == "tenantId"));
        assert!(params.iter().any(|(n, _)| n == "identityProviderId"));
        assert_eq!(f.param_values("identityProviderId").unwrap().len(), 2);
        assert!(f.seeds("Role").iter().all(|s| s.builtin));
        assert!(!f.seeds("Role")[0].fields.contains_key("builtin"));
    }

    #[test]
    fn bad_fixtures_say_what_is_wrong_and_where() {
        let e = Fixture::parse("f.toml", "[[tokens]]\ntoken = 3\n").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("f.toml") && msg.contains("line 2"), "{msg}");

        let e = Fixture::parse("f.toml", "[[tokens]]\ntoken = ' '\nroles = []\n").unwrap_err();
        assert!(e.to_string().contains("token #1 is empty"), "{e}");

        let dup = "[[tokens]]\ntoken='a'\nroles=[]\n[[tokens]]\ntoken='a'\nroles=[]\n";
        let e = Fixture::parse("f.toml", dup).unwrap_err();
        assert!(e.to_string().contains("token #2 repeats"), "{e}");

        let e = Fixture::parse("f.toml", "[[seed.Role]]\nName = 'x'\n").unwrap_err();
        assert!(e.to_string().contains("seed Role #1"), "{e}");

        let e = Fixture::parse("f.toml", "[params]\ntenantId = []\n").unwrap_err();
        assert!(e.to_string().contains("`tenantId`"), "{e}");

        let e = Fixture::parse("f.toml", "colour = 'blue'\n").unwrap_err();
        assert!(e.to_string().contains("colour"), "{e}");
    }

    #[test]
    fn debug_output_never_shows_a_token() {
        let f = Fixture::builtin();
        let text = format!("{f:?}");
        for t in f.tokens() {
            assert!(!text.contains(&t.token));
        }
        assert!(text.contains("<redacted>"));
    }

    #[test]
    fn no_admin_token_when_no_token_holds_every_role() {
        let text = "[[tokens]]\ntoken='a'\nroles=['A']\n[[tokens]]\ntoken='b'\nroles=['B']\n";
        let f = Fixture::parse("f.toml", text).unwrap();
        assert_eq!(f.admin_token(), None);
    }
}
