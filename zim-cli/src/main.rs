//! `zim`: every action of the ZIM server API from a terminal.
//!
//! Nothing here names an action: the commands read `zim_client::generated::catalog`, which
//! the generator makes from `spec/`, so an action is in the command line as soon as it is in
//! the client.

mod cli;
mod config;
mod describe;
mod failure;
mod output;
mod request;

use std::io::{IsTerminal as _, Read as _, Write as _};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{CommandFactory as _, Parser as _};
use futures_util::StreamExt as _;
use serde_json::Value;
use zim_client::generated::catalog::ACTIONS;
use zim_client::runtime::catalog::{self, ActionInfo};
use zim_client::{Client, RetryPolicy};

use cli::{CallArgs, Cli, Command, OutputFormat};
use config::Endpoint;
use failure::{Exit, Failure};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Actions { ref category } => list_actions(category.as_deref()),
        Command::Describe { ref action } => catalog::find(&ACTIONS, action)
            .map(|action| print(&describe::describe(action)))
            .unwrap_or_else(|| Err(unknown_action(action))),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "zim", &mut std::io::stdout());
            Ok(())
        }
        Command::Call(ref args) => call(&cli, args),
    };
    match result {
        Ok(()) => ExitCode::from(Exit::Ok as u8),
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.exit as u8)
        }
    }
}

/// Writes `text` to stdout; a closed pipe (`zim ... | head`) is not an error.
fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(err) => Err(Failure::new(Exit::Other, format!("stdout: {err}"))),
    }
}

fn unknown_action(name: &str) -> Failure {
    Failure::new(
        Exit::Invalid,
        format!("unknown action `{name}` (see `zim actions`)"),
    )
}

fn list_actions(category: Option<&str>) -> Result<(), Failure> {
    match describe::actions(category) {
        Some(text) => print(&text),
        None => Err(Failure::new(
            Exit::Invalid,
            format!(
                "no category `{}`; one of {}",
                category.unwrap_or_default(),
                describe::categories().join(", ")
            ),
        )),
    }
}

/// `zim call`: builds, checks, sends and prints.
fn call(cli: &Cli, args: &CallArgs) -> Result<(), Failure> {
    let action =
        catalog::find(&ACTIONS, &args.action).ok_or_else(|| unknown_action(&args.action))?;
    if args.all_pages && action.items.is_none() {
        return Err(Failure::new(
            Exit::Invalid,
            format!(
                "{} is not paginated; --all-pages does not apply",
                action.name
            ),
        ));
    }
    let base = match &args.json {
        Some(path) => Some(read_json(path)?),
        None => None,
    };
    let request = request::build(action, base, &args.fields)
        .map_err(|problems| Failure::invalid(action.name, &problems))?;
    let client = client(cli, args)?;
    if cli.verbose {
        show_request(action, &client, request.clone())?;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| Failure::new(Exit::Other, format!("cannot start the runtime: {err}")))?;
    let started = Instant::now();
    let result = runtime.block_on(async {
        match action.items {
            Some(items) if args.all_pages => {
                all_pages(action, items, &client, request, args.output).await
            }
            _ => {
                let response = (action.call)(&client, request).await?;
                print_response(action, &response, args.output)
            }
        }
    });
    if cli.verbose {
        eprintln!(
            "< {} in {:.3} s",
            if result.is_ok() { "done" } else { "failed" },
            started.elapsed().as_secs_f64()
        );
    }
    result
}

fn read_json(path: &std::path::Path) -> Result<Value, Failure> {
    let text = if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|err| Failure::new(Exit::Invalid, format!("--json -: {err}")))?;
        text
    } else {
        std::fs::read_to_string(path).map_err(|err| {
            Failure::new(Exit::Invalid, format!("--json {}: {err}", path.display()))
        })?
    };
    serde_json::from_str(&text).map_err(|err| {
        Failure::new(
            Exit::Invalid,
            format!("--json {}: not JSON: {err}", path.display()),
        )
    })
}

fn client(cli: &Cli, args: &CallArgs) -> Result<Client, Failure> {
    let credentials = config::load(cli.profile.as_deref())
        .map_err(|message| Failure::new(Exit::Invalid, message))?;
    let builder = Client::builder(credentials.app_id, credentials.secret)
        .timeout(Duration::from_secs(args.timeout.max(1)))
        .connect_timeout(Duration::from_secs(args.timeout.clamp(1, 5)))
        .retry_policy(RetryPolicy::default().with_max_attempts(args.attempts.max(1)))
        .validation(!args.no_validate);
    let builder = match credentials.endpoint {
        Endpoint::Region(region) => builder.region(region),
        Endpoint::BaseUrl(url) => builder.base_url(url),
    };
    builder
        .build()
        .map_err(|err| Failure::new(Exit::Invalid, err.to_string()))
}

/// `--verbose`: the request as one attempt sends it, without its signature, on stderr.
fn show_request(action: &ActionInfo, client: &Client, request: Value) -> Result<(), Failure> {
    let prepared = (action.prepare)(client, request)?;
    let method = match prepared.method {
        zim_client::Method::Get => "GET",
        zim_client::Method::Post => "POST",
    };
    eprintln!(
        "> {method} {} {}",
        action.name,
        without_signature(&prepared.url)
    );
    if let Some(body) = &prepared.body {
        eprintln!("> {}", String::from_utf8_lossy(body));
    }
    Ok(())
}

/// `url` without its `Signature` parameter (the nonce and timestamp stay: they are public).
fn without_signature(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.starts_with("Signature="))
        .collect();
    format!("{base}?{}", kept.join("&"))
}

fn print_response(
    action: &ActionInfo,
    response: &Value,
    format: OutputFormat,
) -> Result<(), Failure> {
    match format {
        OutputFormat::Json => {
            let pretty = std::io::stdout().is_terminal();
            print(&format!("{}\n", output::json(response, pretty)))
        }
        OutputFormat::Table => print(&output::response_table(action, response)),
    }
}

/// `--all-pages`: every item as a JSON line as it arrives (a table waits for the last page).
async fn all_pages(
    action: &ActionInfo,
    items: catalog::ItemsFn,
    client: &Client,
    request: Value,
    format: OutputFormat,
) -> Result<(), Failure> {
    let mut stream = items(client, request)?;
    let mut rows = Vec::new();
    while let Some(item) = stream.next().await {
        let item = item?;
        match format {
            OutputFormat::Json => print(&format!("{}\n", output::json(&item, false)))?,
            OutputFormat::Table => rows.push(item),
        }
    }
    if format == OutputFormat::Table {
        print(&output::items_table(action, &rows))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn signature_is_cut_from_urls() {
        assert_eq!(
            super::without_signature("http://h/?Action=A&Signature=abc&Timestamp=1"),
            "http://h/?Action=A&Timestamp=1"
        );
    }
}
