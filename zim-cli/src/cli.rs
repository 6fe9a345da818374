//! The command line's shape: commands, options and the help that teaches by example.

use std::path::PathBuf;

use clap::builder::PossibleValuesParser;
use clap::{Parser, Subcommand, ValueEnum};
use zim_client::generated::catalog::ACTIONS;

const EXAMPLES: &str = "\
Examples:
  zim actions --category user
  zim describe QueryGroupsInfoOfUser
  zim call QueryGroupsInfoOfUser FromUserId=u1 Limit=50
  zim call QueryGroupsInfoOfUser FromUserId=u1 Limit=100 --all-pages
  zim call QueryUserInfos UserIds=u1,u2 --output table
  zim call SendPeerMessage --json message.json ToUserId=u2
  zim --profile staging call DismissGroup GroupId=g1 FromUserId=admin --verbose

Credentials: ZIM_APP_ID and ZIM_SERVER_SECRET, with ZIM_REGION (global, frankfurt, ...) or
ZIM_BASE_URL; or a profile of ~/.config/zim/config.toml ($ZIM_CONFIG) chosen with --profile or
ZIM_PROFILE. The environment wins over the profile. The secret is never printed.

Exit codes:
  0  done
  1  other failure (configuration, paging, rate limiter)
  2  usage error or invalid input (every problem is listed; nothing was sent)
  3  the API answered with an error code (shown with its name, meaning and fix)
  4  transport failure or timeout (the server could not be reached)
  5  the response could not be decoded";

const CALL_EXAMPLES: &str = "\
Fields:
  Name=value          a scalar field: FromUserId=u1, Limit=50, IsSilent=true
  Name=a,b / Name=a Name=b
                      a list of strings, numbers or booleans
  Name=TextName       a field with possible values also takes their names (see `zim describe`)
  Name='{\"k\":1}'     objects, maps, lists of objects and typed message bodies as JSON
  --json FILE|-       the whole request as JSON (`-` reads stdin); Name=value pairs override it

Examples:
  zim call QueryGroupsInfoOfUser FromUserId=u1 Limit=50
  zim call QueryGroupsInfoOfUser FromUserId=u1 Limit=100 --all-pages > groups.jsonl
  zim call QueryUserInfos UserIds=u1,u2 --output table
  echo '{\"FromUserId\":\"u1\",\"Limit\":10}' | zim call QueryGroupsInfoOfUser --json -

The response is printed as JSON: pretty on a terminal, one line otherwise. Exit codes: 0 done,
2 invalid input, 3 API error, 4 transport failure, 5 undecodable response, 1 other.";

/// `zim`: the ZIM server API from a terminal.
#[derive(Debug, Parser)]
#[command(
    name = "zim",
    version,
    about = "Calls the ZIM server API (ZEGOCLOUD In-app Chat): every action, generated from the spec",
    after_help = EXAMPLES
)]
pub struct Cli {
    /// A profile of the config file (several apps, one profile each).
    #[arg(long, global = true, env = "ZIM_PROFILE")]
    pub profile: Option<String>,
    /// Prints the request (without its signature) and the timing on stderr.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sends one action and prints its response.
    #[command(after_help = CALL_EXAMPLES)]
    Call(CallArgs),
    /// Lists the actions with method, QPS limit and pagination.
    Actions {
        /// Only the actions of this category (`user`, `group`, ...).
        #[arg(long)]
        category: Option<String>,
    },
    /// Shows an action's fields (types, limits, possible values) and return codes.
    Describe {
        /// The action, as sent in `Action=` (`QueryGroupsInfoOfUser`).
        #[arg(value_parser = action_names(), hide_possible_values = true)]
        action: String,
    },
    /// Prints a shell completion script: `zim completions bash > /etc/bash_completion.d/zim`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// `zim call`.
#[derive(Debug, clap::Args)]
pub struct CallArgs {
    /// The action, as sent in `Action=` (`QueryGroupsInfoOfUser`).
    #[arg(value_parser = action_names(), hide_possible_values = true)]
    pub action: String,
    /// Request fields as `Name=value` (see below).
    #[arg(value_name = "FIELD=VALUE")]
    pub fields: Vec<String>,
    /// The request as JSON, from a file or `-` for stdin; `Name=value` pairs override it.
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<PathBuf>,
    /// Follows the cursor of a paginated action and prints every item as a JSON line.
    #[arg(long)]
    pub all_pages: bool,
    /// How to print the response.
    #[arg(long, short, value_enum, default_value = "json")]
    pub output: OutputFormat,
    /// Sends the request without checking it against the spec's limits (the server judges).
    #[arg(long)]
    pub no_validate: bool,
    /// Seconds to wait for one attempt.
    #[arg(long, default_value = "10", value_name = "SECS")]
    pub timeout: u64,
    /// Attempts per call, retries included (retry-safe actions and retryable codes only).
    #[arg(long, default_value = "4", value_name = "N")]
    pub attempts: u32,
}

/// How a response is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// JSON: pretty on a terminal, compact otherwise.
    Json,
    /// A table of the page's items (or of the response's fields).
    Table,
}

/// Every action name, for parsing, suggestions and shell completion.
fn action_names() -> PossibleValuesParser {
    PossibleValuesParser::new(ACTIONS.iter().map(|action| action.name))
}
