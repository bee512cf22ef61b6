#!/usr/bin/env bash
# Test of the report: runs scripts/report.sh on the demo data (and with --cdnow where the CDNOW sample is present),
# then opens each page in headless Chromium: a copy of the page with test/report/check_charts.js injected checks
# that each of the five charts drew (its <svg> is shown, has shapes of non-zero size, labels and a caption, and
# every plotted series spans the plot), that ids are unique, and nothing was logged to the console; then it
# takes a screenshot of the page (build/report/*.png, beside the page). Prints "report: N passed, N failed".
#
# scripts/report.sh installs the extension into the system's PostgreSQL, so run this under the shared lock:
#   flock /tmp/loyalty-pg.lock bash test/report/run.sh
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$ROOT/scripts/lib/common.sh"

DEBIAN_PACKAGES+=(gnuplot-nox chromium)
install_dependencies

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

tmp=$(mktemp -d /tmp/loyalty-report-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# chromium LOG ARGS...: headless Chromium with a fresh profile, nothing fetched; its log (console messages
# included) goes to LOG.
chromium_headless() {
  local log=$1
  shift
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d "$tmp/profile.XXXXXX")" --hide-scrollbars \
    --enable-logging=stderr --v=0 "$@" 2>"$log"
}
# Console messages (the report page has no script: any message, an error above all, is a fault).
console_messages() { grep -E ':CONSOLE|Uncaught' "$@"; }

# The console check must see an error where there is one.
printf '<!DOCTYPE html><html><body><script>throw new Error("probe")</script></body></html>\n' >"$tmp/probe.html"
chromium_headless "$tmp/probe.log" --dump-dom "file://$tmp/probe.html" >/dev/null
if console_messages "$tmp/probe.log" | grep -q 'Uncaught Error: probe'; then
  pass "the console check sees an uncaught error in a probe page"
else
  fail "the console check missed the probe page's uncaught error (Chromium's log format changed?)"
fi

# check_report NAME [--cdnow]: makes build/report/NAME.html and checks it.
check_report() {
  local name=$1
  shift
  local page=$ROOT/build/report/$name.html shot=$ROOT/build/report/$name.png
  local started=$SECONDS
  rm -f "$page" "$shot"  # nothing stale is checked
  if bash "$ROOT/scripts/report.sh" "$@" "$page" >"$tmp/$name.log" 2>&1; then
    pass "$name: scripts/report.sh${*:+ $*} wrote the page in $((SECONDS - started)) s"
  else
    fail "$name: scripts/report.sh${*:+ $*} failed:"
    tail -n 20 "$tmp/$name.log"
    return
  fi

  local charts external
  charts=$(grep -c '<svg class="chart"' "$page")
  external=$(grep -Eo '(src|href)=["'"'"']?(https?:)?//[^"'"'"' >]*' "$page" | head -n 3 | tr '\n' ' ')
  if [ "$charts" -eq 5 ] && [ -z "$external" ]; then
    pass "$name: one self-contained page with 5 inline SVG charts ($(($(wc -c <"$page") / 1024)) KiB)"
  else
    fail "$name: $charts inline charts (5 expected), external references: ${external:-none}"
  fi

  # The rendered page, with the checker injected before </body>.
  {
    sed '/^<\/body>$/,$d' "$page"
    printf '<script>\n'
    cat "$ROOT/test/report/check_charts.js"
    printf '</script>\n</body>\n</html>\n'
  } >"$tmp/$name.check.html"
  chromium_headless "$tmp/$name.dom.log" --window-size=1400,2400 --dump-dom "file://$tmp/$name.check.html" \
    >"$tmp/$name.dom.html"
  local verdicts
  verdicts=$(sed -n '/<pre id="loyalty-check">/,/<\/pre>/p' "$tmp/$name.dom.html" |
               sed -e 's/.*<pre id="loyalty-check">//' -e 's#</pre>.*##' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g')
  local chart
  for chart in cohort_retention p_alive_matrix calibration_holdout clv_by_segment nps_over_time; do
    grep -Eq "^(ok|FAIL) $chart: " <<<"$verdicts" || fail "$name: $chart: the chart check gave no verdict"
  done
  local line height=2400
  while IFS= read -r line; do
    case $line in
      ok\ *) pass "$name: ${line#ok }" ;;
      FAIL\ *) fail "$name: ${line#FAIL }" ;;
      height\ *) height=${line#height } ;;
    esac
  done <<<"$verdicts"

  # The screenshot, of the page as it is (no checker), whole.
  chromium_headless "$tmp/$name.shot.log" --window-size=1400,"$height" --screenshot="$shot" "file://$page" >/dev/null
  if [ -s "$shot" ] && [ "$(head -c 8 "$shot" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ]; then
    pass "$name: screenshot $shot (1400x$height, $(($(wc -c <"$shot") / 1024)) KiB)"
  else
    fail "$name: no screenshot (see $tmp/$name.shot.log)"
  fi

  local messages
  messages=$(console_messages "$tmp/$name.dom.log" "$tmp/$name.shot.log")
  if [ -z "$messages" ]; then
    pass "$name: no console message"
  else
    fail "$name: console messages:"
    echo "$messages" | head -n 10
  fi
}

check_report loyalty_report
data_dir=${LOYALTY_DATA_DIR:-$(cd "$ROOT/.." && pwd)/shared/data}
if [ -r "$data_dir/cdnow/CDNOW_sample.txt" ]; then
  check_report loyalty_report_cdnow --cdnow
  # The calibration chart's model is Fader, Hardie & Lee's (2005) BG/NBD fit of CDNOW: r 0.243, alpha 4.414,
  # a 0.793, b 2.426 (its note prints them rounded to 3 decimals).
  if grep -q 'BG/NBD by bgnbd_fit on 2357 customers (weeks): r 0.243, alpha 4.414, a 0.793, b 2.426' \
       "$ROOT/build/report/loyalty_report_cdnow.html"; then
    pass "loyalty_report_cdnow: the calibration chart's BG/NBD is the published CDNOW fit"
  else
    fail "loyalty_report_cdnow: the calibration chart's BG/NBD is not the published CDNOW fit (r 0.243, alpha 4.414, a 0.793, b 2.426)"
  fi
else
  skipped=$((skipped + 1))
  echo "skip the CDNOW report: $data_dir/cdnow/CDNOW_sample.txt not found"
fi

echo "report: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
