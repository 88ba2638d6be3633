#!/usr/bin/env bash
# Speed and memory of the play-time analyzer on a 60-minute 16 kHz mono file, on one core,
# beside ffmpeg's silencedetect on the same file in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS=-buildvcs=false
mkdir -p .cache build
WAV=.cache/bench-60min.wav
[ -f "$WAV" ] || go run ./bench/longwav -src shared/audio/testdata -minutes 60 -out "$WAV"
go build -o build/playtime ./cmd/playtime
secs=$(python3 -c "import os;print((os.path.getsize('$WAV')-44)/2/16000)")

# The machine may be shared, so CPU time (user+sys, one core) is reported beside wall time.
best() { # best wall and CPU time of three runs of "$@", and the largest peak RSS, into $wall/$cpu/$rss
  wall=999999; cpu=999999; rss=0
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %U %S %M" -o .cache/time.txt "$@" > /dev/null 2>&1
    read -r w u s r < .cache/time.txt
    wall=$(python3 -c "print(min($wall, $w))"); cpu=$(python3 -c "print(min($cpu, $u + $s))")
    rss=$(python3 -c "print(max($rss, $r))")
  done
}

best taskset -c 0 env GOMAXPROCS=1 build/playtime -json "$WAV"
pt_wall=$wall; pt_cpu=$cpu; pt_rss=$rss
if command -v ffmpeg >/dev/null; then
  best taskset -c 0 ffmpeg -nostdin -threads 1 -hide_banner -i "$WAV" -af silencedetect=noise=-40dB:d=0.5 -f null -
  ff_wall=$wall; ff_cpu=$cpu; ff_rss=$rss
else
  ff_wall=nan; ff_cpu=nan; ff_rss=nan
fi
python3 - "$secs" "$pt_wall" "$pt_cpu" "$pt_rss" "$ff_wall" "$ff_cpu" "$ff_rss" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import sys
secs, pw, pc, pr, fw, fc, fr, ncpu, load = sys.argv[1:]
secs, pw, pc, pr = float(secs), float(pw), float(pc), int(pr)
print(f"audio: {secs/60:.1f} min, 16 kHz mono 16-bit; machine: {ncpu} cores, load average {load}")
print(f"playtime (1 core): {pc:.2f} s CPU = {secs/pc:.0f}x real time; {pw:.2f} s wall = {secs/pw:.0f}x; peak RSS {pr/1024:.1f} MB")
if fw != "nan":
    fw, fc = float(fw), float(fc)
    print(f"ffmpeg silencedetect (1 thread): {fc:.2f} s CPU = {secs/fc:.0f}x real time; {fw:.2f} s wall = {secs/fw:.0f}x; peak RSS {int(fr)/1024:.1f} MB")
    print(f"speed ratio playtime : ffmpeg = {fc/pc:.2f} (CPU time), {fw/pw:.2f} (wall)")
PY
go test -run '^$' -bench 'BenchmarkAnalyze|BenchmarkExtractorFrame|BenchmarkTreesMargin' -benchmem -cpu 1 ./shared/audio
