#!/usr/bin/env bash
# The report: one self-contained HTML page of SVG charts computed by the extension from an order log and survey
# answers. Installs what is missing (Debian packages, gnuplot-nox among them), builds and installs the extension,
# starts a throwaway PostgreSQL under /tmp, loads the demo data (or, with --cdnow, the CDNOW sample from
# ${LOYALTY_DATA_DIR:-../shared/data}), runs one SQL file per chart (report/NAME.sql), plots its output with
# gnuplot (report/NAME.gp), inlines the SVGs into the page, and stops the cluster.
#
#   bash scripts/report.sh [--cdnow] [OUT.html]
#
# Default output: build/report/loyalty_report.html (build/report/loyalty_report_cdnow.html with --cdnow).
# It installs the extension into the system's PostgreSQL, as scripts/demo.sh does. See docs/report.md.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/lib/common.sh"

# The charts, in the page's order: report/NAME.sql prints the data, report/NAME.gp draws it.
CHARTS=(cohort_retention p_alive_matrix calibration_holdout clv_by_segment nps_over_time)

usage() { sed -n 's/^#   //p' "${BASH_SOURCE[0]}"; }

dataset=demo
out=
while [ $# -gt 0 ]; do
  case $1 in
    --cdnow) dataset=cdnow ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
    *) [ -z "$out" ] || { usage >&2; exit 2; }; out=$1 ;;
  esac
  shift
done
if [ -z "$out" ]; then
  out=$ROOT/build/report/loyalty_report$([ "$dataset" = cdnow ] && echo _cdnow).html
fi
case $out in /*) ;; *) out=$PWD/$out ;; esac

data_dir=${LOYALTY_DATA_DIR:-$(cd "$ROOT/.." && pwd)/shared/data}
cdnow_file=$data_dir/cdnow/CDNOW_sample.txt
if [ "$dataset" = cdnow ] && [ ! -r "$cdnow_file" ]; then
  echo "the CDNOW sample is not at $cdnow_file (set LOYALTY_DATA_DIR to the folder holding cdnow/)" >&2
  exit 2
fi

DEBIAN_PACKAGES+=(gnuplot-nox)  # the plots
install_dependencies
build_and_install_extension

work=$(mktemp -d /tmp/loyalty-report.XXXXXX)  # the chart data and SVGs before they are inlined
cluster=$(mktemp -d /tmp/loyalty-report-pg.XXXXXX)
trap 'stop_cluster "$cluster"; rm -rf "$cluster" "$work"' EXIT
start_cluster "$cluster"
psql -X -q -d postgres -c "CREATE DATABASE loyalty_report"
export PGDATABASE=loyalty_report PGTZ=UTC
export PGOPTIONS="-c client_min_messages=warning"
run_sql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
run_sql -c "CREATE EXTENSION loyalty"

log "loading the $dataset data"
# The demo's survey answers serve both data sets (CDNOW has none); the demo's order log only the demo.
run_sql -f "$ROOT/scripts/demo/000_sample_data.sql" >/dev/null
if [ "$dataset" = cdnow ]; then
  (cd "$(dirname "$cdnow_file")" && run_sql -f "$ROOT/report/load_cdnow.sql")
else
  run_sql -f "$ROOT/report/load_demo.sql"
fi

html_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }
sed_replacement() { sed -e 's/[&/\]/\\&/g'; }  # text made safe for the right side of sed's s///
# The header lines of report/NAME.sql: "-- title: ..." and "-- caption: ..." (joined).
sql_header() { sed -n "s/^-- $1: //p" "$2" | tr '\n' ' ' | sed 's/ *$//'; }

# plot NAME: runs the chart's SQL and gnuplot; leaves $work/NAME.svg, ready to inline.
plot() {
  local name=$1 data=$work/$1.tsv svg=$work/$1.svg title
  title=$(sql_header title "$ROOT/report/$name.sql")
  log "chart $name"
  run_sql -A -t -F $'\t' -f "$ROOT/report/$name.sql" >"$data"
  if ! grep -qv '^#' "$data"; then
    echo "report/$name.sql printed no data" >&2
    return 1
  fi
  # "# gp: NAME = VALUE" lines of the output define gnuplot variables for the chart (e.g. the model's T).
  sed -n 's/^# gp: //p' "$data" >"$work/$name.vars.gp"
  if ! gnuplot -e "datafile = '$data'" "$ROOT/report/common.gp" "$work/$name.vars.gp" "$ROOT/report/$name.gp" \
         >"$svg.raw" 2>"$work/$name.gnuplot.log" || [ -s "$work/$name.gnuplot.log" ]; then
    echo "gnuplot failed or warned on report/$name.gp:" >&2
    cat "$work/$name.gnuplot.log" >&2
    return 1
  fi
  # Inlined beside four others, each SVG gets its own ids (gnuplot names them alike) and the chart's title.
  sed -e '/^<?xml /d' -e '/^<!DOCTYPE/d' \
      -e "s/<title>Gnuplot<\/title>/<title>$(html_escape <<<"$title" | sed_replacement)<\/title>/" \
      -e "0,/^<svg */s//<svg class=\"chart\" data-chart=\"$name\" role=\"img\" /" \
      -e "s/id=\(['\"]\)/id=\1$name-/g" \
      -e "s/#\(gp[A-Za-z0-9_]*\|gnuplot_[A-Za-z0-9_]*\|textbox\|greybox\)\b/#$name-\1/g" \
      "$svg.raw" >"$svg"
}

for name in "${CHARTS[@]}"; do plot "$name"; done

# (a separator that is not white space: read keeps empty fields)
IFS='|' read -r dataset_name description extension_version server_version < <(
  run_sql -A -t -F '|' -c "SELECT dataset, description,
                                    (SELECT extversion FROM pg_extension WHERE extname = 'loyalty'),
                                    current_setting('server_version')
                               FROM report_settings")
generated=$(date -u '+%Y-%m-%d %H:%M UTC')
gnuplot_version=$(gnuplot --version)

mkdir -p "$(dirname "$out")"
{
  cat <<HTML
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>loyalty report: $(html_escape <<<"$dataset_name")</title>
<style>
  body { font-family: "DejaVu Sans", sans-serif; margin: 1.5em 2em; color: #222; background: #fff; }
  h1 { font-size: 1.5em; margin: 0 0 0.3em; }
  header p { margin: 0.2em 0; max-width: 75em; }
  .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 1.5em 2em; margin-top: 1.2em; }
  figure { margin: 0; padding: 0.8em; border: 1px solid #ddd; border-radius: 4px; }
  figure h2 { font-size: 1.1em; margin: 0 0 0.4em; }
  svg.chart { display: block; width: 100%; height: auto; }
  figcaption { font-size: 0.85em; line-height: 1.35; margin-top: 0.5em; }
  figcaption .computed { color: #555; margin-top: 0.3em; }
  footer { font-size: 0.8em; color: #555; margin-top: 1.5em; }
</style>
</head>
<body>
<header>
<h1>loyalty report: $(html_escape <<<"$dataset_name")</h1>
<p>Data: $(html_escape <<<"$description").</p>
<p>Made on $generated by <code>scripts/report.sh</code> with the loyalty extension $extension_version on PostgreSQL
$server_version; plotted by $gnuplot_version.</p>
</header>
<main class="charts">
HTML
  for name in "${CHARTS[@]}"; do
    sql=$ROOT/report/$name.sql
    printf '<figure id="%s">\n<h2>%s</h2>\n' "$name" "$(sql_header title "$sql" | html_escape)"
    cat "$work/$name.svg"
    printf '<figcaption>\n<p>%s</p>\n' "$(sql_header caption "$sql" | html_escape)"
    sed -n 's/^# note: //p' "$work/$name.tsv" | html_escape | sed 's/.*/<p class="computed">&.<\/p>/'
    printf '<p class="computed">Query: <code>report/%s.sql</code>; plot: <code>report/%s.gp</code>.</p>\n' "$name" "$name"
    printf '</figcaption>\n</figure>\n'
  done
  cat <<HTML
</main>
<footer>Each chart's numbers come from one SQL file in <code>report/</code>, run against the data above; the
throwaway server that ran them is gone. See <code>docs/report.md</code>.</footer>
</body>
</html>
HTML
} >"$out.tmp"
mv "$out.tmp" "$out"
log "wrote $out"
