//! `zim-bench-workload WORKLOAD.yaml SPEC_DIR`: converts the performance workload into a spec
//! directory and checks it with the same checker `zim-codegen check` runs.
//!
//! Make a workload with `python3 ../shared/bench/make_workload.py -n 1000 --actions w.yaml
//! --openapi /dev/null`, then `zim-bench-workload w.yaml target/bench/spec-1000`.

use std::path::PathBuf;
use std::process::ExitCode;

mod convert;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, dir] = args.as_slice() else {
        eprintln!("usage: zim-bench-workload WORKLOAD.yaml SPEC_DIR");
        return ExitCode::from(64);
    };
    let dir = PathBuf::from(dir);
    let count = match convert::convert(&PathBuf::from(input), &dir) {
        Ok(count) => count,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
    let checked = zim_codegen::check::check_dir(&dir);
    match checked.api {
        Some(api) if checked.diagnostics.is_empty() => {
            eprintln!(
                "wrote {} ({count} actions in {} files), checked clean",
                dir.display(),
                api.sources.len()
            );
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{}", checked.diagnostics);
            eprintln!("error: the converted spec does not check clean");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::convert;

    /// Two actions covering every kind of workload field.
    const WORKLOAD: &str = r#"
actions:
  - name: UpdateGroupMemberList
    request:
      - {name: GroupId, type: string, required: true, max_len: 32}
      - {name: Limit, type: int32, required: false, min: 1, max: 100}
      - {name: MsgTime, type: int64, required: true, min: 0, max: 9223372036854775807}
      - {name: Silent, type: bool, required: false}
      - {name: UserIds, type: "array<string>", required: false, max_len: 32, max_items: 50}
      - {name: DevicePlatform, type: string, required: true, enum: [iOS, Android, MacOS]}
      - name: MemberInfos
        type: "array<object>"
        required: false
        max_items: 20
        fields:
          - {name: UserId, type: string, required: true, max_len: 32}
          - {name: Role, type: int32, required: false, min: 0, max: 10}
    response:
      - {name: Code, type: int32, required: true}
      - {name: Message, type: string, required: true}
      - {name: RequestId, type: string, required: true}
      - name: MemberInfos
        type: "array<object>"
        required: false
        max_items: 20
        fields:
          - {name: UserId, type: string, required: true, max_len: 32}
  - name: QueryBot
    request:
      - {name: BotId, type: string, required: true, max_len: 16}
    response:
      - {name: Code, type: int32, required: true}
      - {name: Message, type: string, required: true}
      - {name: RequestId, type: string, required: true}
"#;

    #[test]
    fn converted_spec_checks_clean() {
        let workload = convert::parse(WORKLOAD).unwrap();
        let mut files = vec![(PathBuf::from("service.yaml"), convert::service_yaml())];
        for action in &workload.actions {
            files.push((
                PathBuf::from(format!(
                    "actions/{}/{}.yaml",
                    convert::category(&action.name),
                    action.name
                )),
                convert::action_yaml(action).unwrap(),
            ));
        }
        let checked = zim_codegen::check::check_sources(&files);
        assert!(checked.diagnostics.is_empty(), "{}", checked.diagnostics);
        let api = checked.api.unwrap();
        assert_eq!(api.actions.len(), 2);
        let update = &api
            .actions
            .iter()
            .find(|a| a.spec.name == "UpdateGroupMemberList")
            .unwrap()
            .spec;
        assert_eq!(update.category, "group");
        // The envelope is left to the runtime; request and response item types differ.
        assert_eq!(update.response.len(), 1);
        assert_ne!(update.request[6].type_name, update.response[0].type_name);
        zim_codegen::generate::generate(&api, &Default::default()).unwrap();
    }

    #[test]
    fn categories_come_from_the_noun() {
        assert_eq!(convert::category("AddGroupMemberInfo"), "group");
        assert_eq!(convert::category("SendRoomAttributeList"), "room");
        assert_eq!(convert::category("MuteUserAttributeState"), "user");
        assert_eq!(convert::category("RecallPushConfig"), "push");
        assert_eq!(convert::category("Unrelated"), "misc");
    }
}
