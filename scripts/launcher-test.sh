#!/usr/bin/env bash
# Checks that ./genai4j runs the CLI from snapshots of the built jars and keeps a snapshot while a
# JVM runs from it. Needs a built tree; it works on a scratch copy of the tree (of the launcher and
# the built jars alone with --quick), so that it never deletes the snapshots, nor rewrites the
# jars, of CLIs running from the tree itself:
#
#   bash scripts/launcher-test.sh          # (a)-(d): ~1.5 min, ~1.2 min of CPU (one cli-module build)
#   bash scripts/launcher-test.sh --quick  # (a)-(c): ~15 s, no build
#
# (a) a launch makes exactly one complete snapshot, and stdout is the CLI's alone;
# (b) with a JVM running from snapshot A, new jars make a snapshot B and leave A alone;
# (c) once that JVM has exited, the next new snapshot removes A (and B);
# (d) two launchers that find the sources changed build once between them, while a CLI started
#     before the rebuild runs on from its snapshot and ends normally.
# The JVM in (b) and (d) is a txt2img run; LAUNCHER_TEST_IMAGES (default 16, 4x that in (d))
# makes it longer where it ends before the launch under test is done.
set -euo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REBUILD=1
[[ "${1:-}" == "--quick" ]] && REBUILD=0

fail() { echo "launcher-test: FAIL: $*" >&2; exit 1; }
ok() { echo "launcher-test: ok: $*"; }

[[ -f "$SRC/cli/target/genai4j-cli.jar" ]] || fail "no cli/target/genai4j-cli.jar: build first (./genai4j --version)"
command -v flock >/dev/null || fail "flock not found: the launcher would fall back to cli/target"

TMP="$(mktemp -d)"
HOLDER=""
cleanup() {
  if [[ -n "$HOLDER" ]]; then kill "$HOLDER" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

# cp -a keeps mtimes (to the nanosecond), so the copy is as up to date as the tree for the
# launcher and for mvn. Without sources the launcher never finds anything to rebuild. Top-level
# entries that git ignores stay behind: a working tree's runs/ can hold many GB of experiments.
ROOT="$TMP/repo"
mkdir -p "$ROOT/cli/target"
if [[ $REBUILD == 1 ]]; then
  for f in "$SRC"/* "$SRC"/.[!.]*; do
    [[ -e "$f" ]] || continue
    git -C "$SRC" check-ignore -q "$f" 2>/dev/null && continue
    case "${f##*/}" in .git|.genai4j-run|.genai4j-build.lock) ;; *) cp -a "$f" "$ROOT/" ;; esac
  done
else
  cp -a "$SRC/genai4j" "$ROOT/"
  cp -a "$SRC/cli/target/genai4j-cli.jar" "$SRC/cli/target/lib" "$ROOT/cli/target/"
fi
cd "$ROOT"
RUNS="$ROOT/.genai4j-run"
JAR="$ROOT/cli/target/genai4j-cli.jar"
TOUCHED_SOURCE="$ROOT/cli/src/main/java/dev/genai4j/cli/Main.java"

snapshots() {  # every folder under .genai4j-run, temp and trash ones included
  find "$RUNS" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort
}
held() {  # is someone holding $1/.lock? (our probe takes it for an instant only)
  ! flock -n -x "$1/.lock" true
}
version() {  # ./genai4j --version with the given env; checks stdout is exactly the version line
  local out
  out="$(env "$@" timeout 600 ./genai4j --version 2>>"$TMP/version.err")" || fail "./genai4j --version failed: $(tail -5 "$TMP/version.err")"
  [[ "$out" =~ ^genai4j\ [^[:space:]]+\ on\ Java\ [0-9][^$'\n']*$ ]] || fail "stdout of --version is not just the version line: '$out'"
}

# A real JVM that runs a while and loads classes as it goes (sampling, progress, PNG writing, the
# JSON at the end): txt2img with the shipped Fashion-MNIST diffusion model, on one thread, making
# $1 images in $2 DDIM steps (16 in 15 take ~5 s, 64 in 50 ~1 min on a busy 2-core machine).
start_holder() {
  HOLDER_IMAGES="$1"
  GENAI4J_NO_REBUILD=1 ./genai4j txt2img "a photo of a bag" -n "$1" --steps "$2" --threads 1 --json -o "$TMP/img" \
      >"$TMP/holder.out" 2>"$TMP/holder.err" &
  HOLDER=$!
  local snap
  for _ in $(seq 600); do   # up to 60 s for the JVM to start and lock its snapshot
    for snap in $(snapshots); do
      if [[ -f "$RUNS/$snap/.complete" ]] && held "$RUNS/$snap"; then
        HOLDER_SNAP="$snap"
        check_holder_process
        return 0
      fi
    done
    kill -0 "$HOLDER" 2>/dev/null || fail "txt2img ended before it locked a snapshot: $(tail -5 "$TMP/holder.err")"
    sleep 0.1
  done
  fail "no snapshot got locked within 60 s of starting txt2img"
}
# The launcher must have exec'd java (so signals and exit codes are java's), and java must hold
# the snapshot's lock and read no jar from cli/target, which a rebuild rewrites.
check_holder_process() {
  local exe fds
  exe="$(readlink "/proc/$HOLDER/exe")"
  [[ "$exe" == */java ]] || fail "the launcher did not exec java (pid $HOLDER is $exe)"
  fds="$(ls -l "/proc/$HOLDER/fd" 2>/dev/null)"
  grep -q "$RUNS/$HOLDER_SNAP/.lock" <<<"$fds" || fail "java (pid $HOLDER) does not hold $HOLDER_SNAP/.lock open"
  if grep -q "$ROOT/cli/target/" <<<"$fds"; then fail "java (pid $HOLDER) has jars open in cli/target"; fi
}
holder_alive() {  # $1: the check; a holder that ended already either failed or proves nothing
  kill -0 "$HOLDER" 2>/dev/null && return 0
  finish_holder
  fail "$1 txt2img ended normally before the change was done, so this proves nothing; raise LAUNCHER_TEST_IMAGES"
}
finish_holder() {  # waits for the holder; it must have ended normally
  local rc=0
  wait "$HOLDER" || rc=$?
  HOLDER=""
  [[ $rc == 0 ]] || fail "txt2img (started before the change) exited $rc: $(tail -5 "$TMP/holder.err")"
  grep -q '"grid" : ".*grid.png"' "$TMP/holder.out" || fail "txt2img printed: $(head -c 400 "$TMP/holder.out")"
  [[ "$(ls "$TMP/img" | grep -c '^[0-9]*\.png$')" == "$HOLDER_IMAGES" ]] || fail "txt2img wrote $(ls "$TMP/img" | wc -l) files, not $HOLDER_IMAGES images + grid"
  [[ -f "$TMP/img/grid.png" ]] || fail "txt2img wrote no grid.png"
  rm -rf "$TMP/img"
}

# (a)
version GENAI4J_NO_REBUILD=1
mapfile -t S < <(snapshots)
[[ ${#S[@]} == 1 ]] || fail "(a) expected one snapshot, found: ${S[*]:-none}"
A="${S[0]}"
[[ -f "$RUNS/$A/.complete" && -f "$RUNS/$A/genai4j-cli.jar" ]] || fail "(a) snapshot $A is incomplete"
cmp -s "$JAR" "$RUNS/$A/genai4j-cli.jar" || fail "(a) snapshot $A's jar differs from cli/target's"
[[ $(ls "$RUNS/$A/lib" | wc -l) == $(ls "$ROOT"/cli/target/lib/*.jar | wc -l) ]] || fail "(a) snapshot $A lacks lib jars"
version GENAI4J_NO_REBUILD=1
[[ "$(snapshots)" == "$A" ]] || fail "(a) a second launch did not reuse $A: $(snapshots)"
ok "(a) one complete snapshot ($A), reused; --version prints only the version line"

# (b)
start_holder "${LAUNCHER_TEST_IMAGES:-16}" 15
[[ "$HOLDER_SNAP" == "$A" ]] || fail "(b) txt2img locked $HOLDER_SNAP, not $A"
touch "$JAR"   # a new identity for the jars, as a rebuild gives
version GENAI4J_NO_REBUILD=1
mapfile -t S < <(snapshots)
[[ ${#S[@]} == 2 && " ${S[*]} " == *" $A "* ]] || fail "(b) expected $A and a new snapshot, found: ${S[*]}"
holder_alive "(b)"
B="$( (printf '%s\n' "${S[@]}"; echo "$A") | sort | uniq -u)"
[[ -f "$RUNS/$A/.complete" && -f "$RUNS/$B/.complete" ]] || fail "(b) $A or $B incomplete"
ok "(b) with txt2img running from $A, new jars made $B and left $A in place"

# (c)
finish_holder
held "$RUNS/$A" && fail "(c) $A is still locked after txt2img ended"
touch "$JAR"
version GENAI4J_NO_REBUILD=1
mapfile -t S < <(snapshots)
[[ ${#S[@]} == 1 && "${S[0]}" != "$A" && "${S[0]}" != "$B" ]] || fail "(c) expected only a new snapshot, found: ${S[*]}"
ok "(c) txt2img ended normally; the next new snapshot (${S[0]}) removed $A and $B"

if [[ $REBUILD == 0 ]]; then
  echo "launcher-test: (d) skipped (--quick)"
  exit 0
fi

# (d) A real edit of the cli module (a line added atop each source, so that every class and the
# jar's layout change), as someone working in the tree makes while an experiment runs.
C="${S[0]}"
start_holder "$(( ${LAUNCHER_TEST_IMAGES:-16} * 4 ))" 50   # must outlast the rebuild
C_ID="$(stat -c '%i %s %y' "$RUNS/$C/genai4j-cli.jar")"
old_key="$(cd cli/target && stat -c '%s %y' genai4j-cli.jar)"
for f in cli/src/main/java/dev/genai4j/cli/*.java; do sed -i '1i // launcher-test edit' "$f"; done
version GENAI4J_NO_REBUILD=0 2>/dev/null &   # two launchers that both find the sources changed
v1=$!
version GENAI4J_NO_REBUILD=0
wait "$v1" || fail "(d) the concurrent --version failed"
builds="$(grep -c "genai4j: building" "$TMP/version.err" || true)"
[[ "$builds" == 1 ]] || fail "(d) expected one build between two concurrent launchers, saw $builds: $(cat "$TMP/version.err")"
[[ "$(cd cli/target && stat -c '%s %y' genai4j-cli.jar)" != "$old_key" ]] || fail "(d) the jar was not rebuilt"
holder_alive "(d)"
[[ -f "$RUNS/$C/.complete" && "$(stat -c '%i %s %y' "$RUNS/$C/genai4j-cli.jar")" == "$C_ID" ]] \
  || fail "(d) snapshot $C was removed or changed under the running txt2img"
mapfile -t S < <(snapshots)
[[ ${#S[@]} == 2 ]] || fail "(d) expected $C and the rebuild's snapshot, found: ${S[*]}"
finish_holder
ok "(d) two launchers built once; txt2img started before the rebuild ran on from $C and ended normally"
