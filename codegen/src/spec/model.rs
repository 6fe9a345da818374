//! The spec format: what a maintainer writes under `spec/`.
//!
//! `service.yaml` holds the service-wide facts ([`ServiceSpec`]); every file under
//! `actions/` holds one action ([`ActionSpec`]). These types are the single source of the
//! format: serde reads them, and `spec/schema.json` is generated from them so editors can
//! validate and complete spec files.
//!
//! The raw model is deliberately loose where YAML is loose (types are written as short
//! expressions such as `array<string>`, references are plain names); the checker turns it
//! into resolved, validated data and reports everything that does not fit.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `spec/service.yaml`: facts shared by every action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ServiceSpec {
    /// Human name of the API.
    pub name: String,
    /// What the service is, in a sentence or two.
    #[serde(default)]
    pub docs: String,
    /// Where requests go.
    pub hosts: HostsSpec,
    /// How requests are signed.
    pub signing: SigningSpec,
    /// Query parameters that every request carries; action fields sent in the query must not
    /// reuse these names.
    #[serde(default)]
    pub public_params: Vec<PublicParam>,
    /// Names of the fields every response carries at top level.
    pub envelope: EnvelopeSpec,
    /// Character sets that string fields can be limited to, by name (`charset: id`).
    #[serde(default)]
    pub charsets: BTreeMap<String, CharsetSpec>,
    /// Reusable field definitions, by name; an action field says `use: Name` to take one.
    #[serde(default)]
    pub fields: BTreeMap<String, Field>,
    /// Shared types (objects and variant shapes), by Rust type name; fields refer to them by
    /// name in their `type`.
    #[serde(default)]
    pub types: BTreeMap<String, TypeDef>,
    /// Return codes any action can produce.
    #[serde(default)]
    pub return_codes: Vec<ReturnCodeSpec>,
}

/// The hosts of the service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct HostsSpec {
    /// Id of the region used when the caller picks none.
    pub default: String,
    /// Regional hosts of the main service; the caller picks one.
    pub regions: Vec<HostSpec>,
    /// Hosts of other services that some actions live on (`host:` in an action names one);
    /// these do not change with the caller's region.
    #[serde(default)]
    pub services: Vec<HostSpec>,
}

/// One host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct HostSpec {
    /// Short id, snake_case (`global`, `frankfurt`, `auth`).
    pub id: String,
    /// Host name, without scheme or path.
    pub host: String,
    /// What the host serves or where it is.
    #[serde(default)]
    pub docs: String,
}

/// The request signing scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SigningSpec {
    /// The algorithm; the runtime implements each scheme named here.
    pub scheme: SigningScheme,
    /// Value sent as `SignatureVersion`.
    pub version: String,
    /// Seconds of clock skew the server tolerates.
    #[serde(default)]
    pub max_skew_secs: Option<u64>,
    #[serde(default)]
    pub docs: String,
    /// A published example, pinned by a runtime test.
    pub test_vector: SigningTestVector,
}

/// Signing algorithms the runtime implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SigningScheme {
    /// `hex_lower(md5(AppId + SignatureNonce + ServerSecret + Timestamp))`.
    Md5Concat,
}

/// Inputs and output of one signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SigningTestVector {
    pub app_id: u32,
    pub nonce: String,
    pub server_secret: String,
    pub timestamp: i64,
    pub signature: String,
}

/// A query parameter every request carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PublicParam {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub docs: String,
}

/// Wire names of the response envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct EnvelopeSpec {
    /// The return code field; 0 is success.
    pub code: String,
    pub message: String,
    pub request_id: String,
}

/// A named set of allowed characters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CharsetSpec {
    /// Every allowed character, listed; `a-z` style ranges are written as `ranges`.
    #[serde(default)]
    pub chars: String,
    /// Inclusive ranges such as `a-z`.
    #[serde(default)]
    pub ranges: Vec<String>,
    #[serde(default)]
    pub docs: String,
}

/// A shared type: an object with fields, or a value whose shape is chosen by a selector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct TypeDef {
    #[serde(default)]
    pub docs: String,
    /// Fields of an object type. Exactly one of `fields` and `variants` is given.
    #[serde(default)]
    pub fields: Vec<Field>,
    /// Shapes of a variant type, each chosen by values of the selector field that sits beside
    /// the field holding it (`selector:` on that field).
    #[serde(default)]
    pub variants: Vec<VariantDef>,
    /// Type of the selector's values (`int32` or `string`) for a variant type.
    #[serde(default)]
    pub selector_type: Option<String>,
    /// Another object type whose fields this one starts from; `fields` given here add new
    /// fields or override inherited ones of the same name (`values_add` extends their values).
    #[serde(default)]
    pub extends: Option<String>,
}

/// One shape of a variant type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct VariantDef {
    /// Rust name of the shape (`Text`, `Image`).
    pub name: String,
    /// Selector values that pick this shape.
    pub when: Vec<Scalar>,
    /// How the value is carried on the wire.
    #[serde(default)]
    pub encoding: VariantEncoding,
    #[serde(default)]
    pub docs: String,
    /// Fields of the shape; empty for `text`.
    #[serde(default)]
    pub fields: Vec<Field>,
}

/// How a variant shape is carried on the wire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VariantEncoding {
    /// A JSON object.
    #[default]
    Object,
    /// A string that holds the value as is.
    Text,
    /// A string that holds JSON text of the object.
    JsonText,
    /// A string that holds URL-encoded JSON text of the object.
    UrlEncodedJsonText,
}

/// One field of a request, a response, or an object.
///
/// `type` is a type expression: `string`, `bool`, `int32`, `int64`, `uint32`, `uint64`,
/// `object` (with `fields`), `array<T>`, `map<T>` (string keys), `json<T>` (a string holding
/// JSON text of T), `string | T` (text or the object T, whichever the server sends), or the
/// name of a shared type. At most one `object` appears in an expression, and its fields are
/// this field's `fields`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Field {
    /// Wire name, exactly as sent. Required unless `use` supplies it.
    #[serde(default)]
    pub name: String,
    /// Rust name, when the one derived from the wire name does not fit.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// Name of a reusable field definition from the service file; keys given here override it.
    #[serde(default, rename = "use")]
    pub use_def: Option<String>,
    /// Type expression; required unless `use` supplies it.
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
    /// What the field means, in our words.
    #[serde(default)]
    pub docs: Option<String>,
    /// Request: the caller must set it. Response: the server always sends it.
    #[serde(default)]
    pub required: Option<bool>,
    /// Value the server assumes when the field is absent.
    #[serde(default)]
    pub default: Option<Scalar>,
    /// Fields of the `object` in the type expression.
    #[serde(default)]
    pub fields: Vec<Field>,
    /// Rust name of the generated object type or enum, when the derived one does not fit.
    #[serde(default)]
    pub type_name: Option<String>,
    /// For a field of a variant type: the sibling field whose value selects the shape.
    #[serde(default)]
    pub selector: Option<String>,
    /// Other wire names a server may use for this field; accepted when decoding.
    #[serde(default)]
    pub aliases: Vec<String>,

    /// Longest value, in bytes of UTF-8.
    #[serde(default)]
    pub max_bytes: Option<u64>,
    /// Longest value, in characters (Unicode scalar values).
    #[serde(default)]
    pub max_chars: Option<u64>,
    /// Shortest value, in characters (1 = must not be empty).
    #[serde(default)]
    pub min_len: Option<u64>,
    /// Smallest number allowed.
    #[serde(default)]
    pub min: Option<i64>,
    /// Largest number allowed.
    #[serde(default)]
    pub max: Option<i64>,
    /// Fewest items of an array or map.
    #[serde(default)]
    pub min_items: Option<u64>,
    /// Most items of an array or map.
    #[serde(default)]
    pub max_items: Option<u64>,
    /// Longest string item of an array, in bytes.
    #[serde(default)]
    pub item_max_bytes: Option<u64>,
    /// Longest string item of an array, in characters.
    #[serde(default)]
    pub item_max_chars: Option<u64>,
    /// Name of a service charset the string (or each string item) must keep to.
    #[serde(default)]
    pub charset: Option<String>,
    /// Text the string (or each string item) must start with.
    #[serde(default)]
    pub prefix: Option<String>,
    /// Text the string (or each string item) must not start with.
    #[serde(default)]
    pub not_starting_with: Option<String>,
    /// A limit on the bytes of several texts together: the listed string fields of every
    /// item of an `array<object>`, or every key and value of a `map<string>`.
    #[serde(default)]
    pub max_total_bytes: Option<TotalBytes>,
    /// The item cap the server applies unless ZEGOCLOUD raised it for the app; `max_items`
    /// is then the highest cap it can be raised to, which the client checks.
    #[serde(default)]
    pub max_items_default: Option<u64>,

    /// Documented possible values.
    #[serde(default)]
    pub values: Vec<PossibleValue>,
    /// How the possible values bind; `closed` when values are given and this is not.
    #[serde(default)]
    pub values_kind: Option<ValuesKind>,
    /// Values added to those the field takes from `use:` or from an extended type.
    #[serde(default)]
    pub values_add: Vec<PossibleValue>,
    /// Rules across the fields of the field's own `object` (`object`, `array<object>`,
    /// `map<object>`), naming them by wire name; checked on every object.
    #[serde(default)]
    pub rules: Vec<CrossFieldRule>,
}

/// `max_total_bytes`: the bytes of several texts together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct TotalBytes {
    /// String fields of each item counted (an `array<object>`); empty for a `map<string>`,
    /// whose keys and values all count.
    #[serde(default)]
    pub of: Vec<String>,
    /// Most bytes of UTF-8 all of them together may hold.
    pub max: u64,
}

/// One documented value of a field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PossibleValue {
    pub value: Scalar,
    /// Rust name of the value (`TwoWay`).
    pub name: String,
    #[serde(default)]
    pub docs: String,
}

/// How a field's possible values bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValuesKind {
    /// Only the listed values are valid; requests are checked against them.
    Closed,
    /// The listed values have special meaning, any other value of the type is valid too.
    Open,
    /// The listed values are bits, combined with OR.
    Flags,
}

/// A YAML scalar: a default, a possible value, a selector value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    Str(String),
}

/// A return code of the global table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ReturnCodeSpec {
    pub code: i64,
    /// Rust name of the code (`ServerBusy`).
    pub name: String,
    /// What happened.
    pub meaning: String,
    /// What the caller should do.
    #[serde(default)]
    pub fix: String,
    /// The client retries calls that end with this code.
    #[serde(default)]
    pub retry: bool,
}

/// A return code an action lists: a code of the global table by number, or a code with its
/// own name and text (which may refine a global one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ReturnCodeRef {
    Global(i64),
    Own(ReturnCodeSpec),
}

/// HTTP method of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Method {
    /// Every parameter in the query string.
    #[serde(rename = "GET")]
    Get,
    /// Business parameters as a JSON body.
    #[serde(rename = "POST")]
    Post,
}

/// One file under `spec/actions/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ActionSpec {
    /// Action name as sent in `Action=`; also names the Rust types.
    pub name: String,
    /// Rust name (snake_case) of the action's module and client method, when the one derived
    /// from `name` collides with another generated name (E0035); its types are then named
    /// after the same words in UpperCamelCase (`rust_name: get_user_v2` gives
    /// `GetUserV2Request`).
    #[serde(default)]
    pub rust_name: Option<String>,
    /// Group of related actions (`user`, `group`, `message`); the file lives in a folder of
    /// this name and the Rust code in a module of it.
    pub category: String,
    pub method: Method,
    /// Id of a service host from `hosts.services`, for an action that does not live on the
    /// regional hosts.
    #[serde(default)]
    pub host: Option<String>,
    /// What the action does, in one sentence of our own.
    pub purpose: String,
    /// Further notes for callers.
    #[serde(default)]
    pub docs: Option<String>,
    /// The server's rate limit for this action.
    pub qps: QpsSpec,
    /// Whether resending after a transport failure cannot duplicate an effect.
    pub retry_safe: bool,
    /// Business parameters.
    #[serde(default)]
    pub request: Vec<Field>,
    /// Fields next to the envelope (or inside `response_wrapper`).
    #[serde(default)]
    pub response: Vec<Field>,
    /// Name of an object that wraps the response fields (`Data`), when they are not at top
    /// level.
    #[serde(default)]
    pub response_wrapper: Option<String>,
    #[serde(default)]
    pub pagination: Option<PaginationSpec>,
    #[serde(default)]
    pub partial_failure: Option<PartialFailureSpec>,
    /// Codes the action documents, besides the global table.
    #[serde(default)]
    pub return_codes: Vec<ReturnCodeRef>,
    /// Where this action knowingly differs from ZEGO's published OpenAPI page, and why;
    /// `zim-codegen sync` does not report these differences.
    #[serde(default)]
    pub upstream: Vec<UpstreamDifference>,
    /// Rules across request fields: which must be set together or instead of each other.
    #[serde(default)]
    pub rules: Vec<CrossFieldRule>,
}

/// A rule across top-level request fields; exactly one of its keys is given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CrossFieldRule {
    /// Exactly one of these optional fields must be set.
    #[serde(default)]
    pub one_of: Option<Vec<String>>,
    /// At least one of these optional fields must be set.
    #[serde(default)]
    pub at_least_one_of: Option<Vec<String>>,
    /// An optional field that must be set when another field holds a value or a flag.
    #[serde(default)]
    pub required_if: Option<RequiredIf>,
}

/// `required_if`: `field` must be set when the condition `when` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RequiredIf {
    /// The optional request field that becomes required.
    pub field: String,
    pub when: Condition,
}

/// A condition on a request field: it equals a value, or (a flags field) has one of the
/// named flags set. Exactly one of `equals` and `has_flag` is given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Condition {
    pub field: String,
    /// The value, as written in `values:` or of the field's type.
    #[serde(default)]
    pub equals: Option<Scalar>,
    /// Names of flags of the field's `values:`; any of them set makes the condition hold.
    #[serde(default)]
    pub has_flag: Vec<String>,
}

/// A deliberate difference from ZEGO's published page (an alias, a documented correction).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct UpstreamDifference {
    /// Where, as `diff` names it: `request.Limit`, `response.List.UserId`, `qps`,
    /// `return_codes`, `action`. A field's path also covers the fields nested in it.
    pub path: String,
    /// What differs there.
    pub differs: UpstreamAspect,
    /// Why, in a sentence of our own.
    pub why: String,
}

/// What a deliberate difference from ZEGO's page is about.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum UpstreamAspect {
    /// The action itself (ZEGO publishes no page for it).
    Action,
    /// A field present on one side only (or under another name).
    Field,
    /// The field's type or its selector.
    Type,
    /// Whether the field is required.
    Required,
    /// The field's default.
    Default,
    /// Any limit: lengths, ranges, item counts, charset.
    Limit,
    /// Possible values, or whether they are closed.
    Values,
    Qps,
    Method,
    Host,
    /// Return codes listed on one side only.
    ReturnCodes,
    PartialFailure,
    ResponseWrapper,
}

/// A rate limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct QpsSpec {
    /// Calls (or units, for scope `message`) per second.
    pub limit: u32,
    /// What the limit is counted over.
    #[serde(default)]
    pub scope: QpsScope,
    /// For scope `group` or `room`: the request field holding the group or room id.
    #[serde(default)]
    pub key: Option<String>,
    /// For scope `message`: the request array field whose items each count as one unit.
    #[serde(default)]
    pub count: Option<String>,
    /// A further cap per 24 hours, if any.
    #[serde(default)]
    pub per_day: Option<u32>,
    #[serde(default)]
    pub docs: Option<String>,
}

/// What a rate limit is counted over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QpsScope {
    /// All calls of the app.
    #[default]
    App,
    /// Calls per group id.
    Group,
    /// Calls per room id.
    Room,
    /// Each item of a request array counts.
    Message,
}

/// How a paginated action pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PaginationSpec {
    pub style: PaginationStyle,
    /// Request field that carries the cursor.
    pub cursor: String,
    /// Response field that carries the cursor of the next page.
    pub next: String,
    /// Response array field holding one page of items.
    pub items: String,
    /// When the last page has been read.
    pub done_when: DoneWhen,
}

/// The four paging styles of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaginationStyle {
    /// Numeric cursor, 0 on the first call.
    NumericNext,
    /// String cursor, empty on the first call.
    StringNext,
    /// String `NextFlag`, empty on the first call.
    NextFlag,
    /// Numeric `StartFlag` in, `NextFlag` out, a separate end flag.
    StartFlag,
}

/// End condition: the response field equals one of the values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct DoneWhen {
    pub field: String,
    #[serde(rename = "in")]
    pub values: Vec<Scalar>,
}

/// Where a batch action lists the items that failed while the call as a whole succeeded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PartialFailureSpec {
    /// Response array field of failed items.
    pub list: String,
    /// Field of an item naming what failed (`UserId`, `Key`).
    #[serde(default)]
    pub id: Option<String>,
    /// Field of an item with its code.
    pub code: String,
    /// Field of an item with its message, if any.
    #[serde(default)]
    pub message: Option<String>,
}
