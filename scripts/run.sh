#!/usr/bin/env bash
# `make run`: a demo helpdesk on first start, the same data on every later start.
set -euo pipefail
bin=$1 data_dir=$2 listen=$3
if [ ! -f "$data_dir/rampart.db" ]; then
  echo "First start: creating a demo helpdesk in $data_dir"
  "$bin" demo-data --data-dir "$data_dir" --tickets 25
else
  echo "Reusing the helpdesk in $data_dir (delete it for a fresh demo)"
fi
echo "Serving on http://$listen/ (Ctrl-C stops)"
exec "$bin" serve --data-dir "$data_dir" --listen "$listen"
