# Shared helpers of the scripts/bench-* scripts; sourced, not run.
#
# Paths: run from the repository root; the workload lives in ../shared/bench (override with
# ZIM_BENCH_DIR), work files go to target/bench/.

BENCH_DIR=${ZIM_BENCH_DIR:-../shared/bench}
WORK=target/bench

# Installs a Debian package when `command` is missing and apt-get can (root or sudo).
# Returns 1 when the command is still missing.
ensure_tool() {
    local command=$1 package=$2
    command -v "$command" >/dev/null 2>&1 && return 0
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 || return 1
        sudo="sudo -n"
    fi
    echo "installing $package (apt-get)" >&2
    $sudo apt-get install -y "$package" >/dev/null 2>&1 ||
        { $sudo apt-get update >/dev/null 2>&1 && $sudo apt-get install -y "$package" >/dev/null 2>&1; } ||
        true
    command -v "$command" >/dev/null 2>&1
}

# Builds the release binaries of zim-codegen (zim-codegen, zim-bench-workload).
build_codegen() {
    cargo build --release -p zim-codegen --bins >&2
}

# Writes the spec of an n-action workload to $WORK/spec-<n> and prints its path. The
# 120-action workload is the checked-in zim_like_120.yaml; other counts come from
# make_workload.py with its default seed.
make_spec() {
    local n=$1
    mkdir -p "$WORK"
    local workload="$WORK/workload-$n.yaml"
    if [ "$n" = 120 ]; then
        cp "$BENCH_DIR/zim_like_120.yaml" "$workload"
    else
        python3 "$BENCH_DIR/make_workload.py" -n "$n" --openapi /dev/null --actions "$workload"
    fi
    target/release/zim-bench-workload "$workload" "$WORK/spec-$n" >&2
    echo "$WORK/spec-$n"
}

# Median of numbers, one per line on stdin.
median() {
    python3 -c 'import statistics, sys; print(statistics.median(float(x) for x in sys.stdin.read().split()))'
}

# Wall seconds, peak RSS in MiB and CPU seconds (user + system, which depends less on the
# load of a shared machine) of one run of a command, from /usr/bin/time -v; prints
# "<seconds> <MiB> <cpu seconds>".
time_and_rss() {
    local log
    log=$(mktemp)
    /usr/bin/time -v -o "$log" "$@" >/dev/null 2>&1 || { cat "$log" >&2; rm -f "$log"; return 1; }
    python3 - "$log" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text).group(1)
seconds = 0.0
for part in wall.split(":"):
    seconds = seconds * 60 + float(part)
cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", text).group(1))
          for kind in ("User", "System"))
print(f"{seconds:.3f} {rss:.0f} {cpu:.2f}")
EOF
    rm -f "$log"
}
