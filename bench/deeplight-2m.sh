#!/usr/bin/env bash
# DeepLight on 2M synthetic rows (issue 16): the per-model studies (paper settings with their E-X rows) for DeepFwFM,
# DeepFM, NFM and xDeepFM, the three DeepFwFM sweeps of Figs. 3-4 (F's with its E-X rows, Table 4), the cross-model ensemble;
# then the sweeps on criteo_deeplight_tiny (3 seeds). One job at a time on one thread. Run in a scratch directory;
# REPO is the checkout, DATA the shared data folder.
#   The xDeepFM study takes several times DeepFwFM's (77 min on one shared core); XDEEPFM=0 leaves it out.
set -euo pipefail
cw=${CLICKWISE:-clickwise}
repo=${REPO:-$(cd "$(dirname "$0")/.." && pwd)}
[ -f synth-2m.tsv ] || "$cw" synth --rows 2000000 --seed 1 -o synth-2m.tsv
common=(-d synth-2m.tsv --config "$repo/configs/deeplight-synthetic-study.json" --epochs 3 --prune-warmup 1 --prune-until 2
        --seeds 1 --no-size-matched --ensemble-models 1 --requests 2000 --threads 1 --resume)
models=(deepfwfm deepfm nfm)
[ "${XDEEPFM:-1}" = 1 ] && models+=(xdeepfm)
for m in "${models[@]}"; do
    "$cw" deeplight --model "$m" -o "$m" "${common[@]}"
done

# The sweeps start from the DeepFwFM study's dense model: its row in deeplight.json, kept by --resume.
d_sweep="D-80%,D-90%,D-95%,D-98%,D-99%"
r_sweep="D-99% & R-0% & F-40%,D-99% & R-90% & F-40%,D-99% & R-95% & F-40%,D-99% & R-99% & F-40%"
f_sweep="F-20%,F-40%,F-60%,F-80%"
for s in d r f; do
    mkdir -p "sweep-$s"
    [ -f "sweep-$s/deeplight.json" ] || cp deepfwfm/deeplight.json "sweep-$s/deeplight.json"
done
"$cw" deeplight --model deepfwfm -o sweep-d "${common[@]}" --no-embedding-matched --settings "$d_sweep"
"$cw" deeplight --model deepfwfm -o sweep-r "${common[@]}" --no-embedding-matched --settings "$r_sweep"
"$cw" deeplight --model deepfwfm -o sweep-f "${common[@]}" --settings "$f_sweep"   # with E-X rows: Table 4
"$cw" ensemble "${models[@]}" -d synth-2m.tsv --config "$repo/configs/deeplight-synthetic-study.json" -o ensemble \
    --budgets 2,5,10,25,100,500 --requests 2000 --threads 1
"$cw" report "${models[@]}" sweep-d sweep-r sweep-f ensemble -o report.html --title "DeepLight on 2M synthetic rows"

# criteo_deeplight_tiny: the same sweeps, 3 seeds; the F sweep with its E-X rows (Table 4).
data=${DATA:-$repo/../shared/data}
cat "$data"/criteo_deeplight_tiny/tiny_{train,test}_input.csv > tiny_all.csv
tiny=(-d tiny_all.csv --config "$repo/configs/deeplight-tiny-study.json" --model deepfwfm --epochs 3 --prune-warmup 1 --seeds 3
      --ensemble-models 1 --no-size-matched --requests 2000 --threads 1 --resume)
"$cw" deeplight -o tiny/sweep-d "${tiny[@]}" --no-embedding-matched --settings "$d_sweep"
"$cw" deeplight -o tiny/sweep-r "${tiny[@]}" --no-embedding-matched --settings "$r_sweep"
"$cw" deeplight -o tiny/sweep-f "${tiny[@]}" --settings "$f_sweep"
"$cw" report tiny/sweep-d tiny/sweep-r tiny/sweep-f -o tiny/report.html --title "DeepLight sweeps on criteo_deeplight_tiny"
