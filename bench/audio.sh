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

best() { # best wall time of three runs of "$@", and the peak RSS of the last, into $wall/$rss
  wall=999999; rss=0
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o .cache/time.txt "$@" > /dev/null 2>&1
    read -r w r < .cache/time.txt
    wall=$(python3 -c "print(min($wall, $w))"); rss=$r
  done
}

best taskset -c 0 env GOMAXPROCS=1 build/playtime -json "$WAV"
pt_wall=$wall; pt_rss=$rss
if command -v ffmpeg >/dev/null; then
  best taskset -c 0 ffmpeg -nostdin -threads 1 -hide_banner -i "$WAV" -af silencedetect=noise=-40dB:d=0.5 -f null -
  ff_wall=$wall; ff_rss=$rss
else
  ff_wall=nan; ff_rss=nan
fi
python3 - "$secs" "$pt_wall" "$pt_rss" "$ff_wall" "$ff_rss" <<'PY'
import sys
secs, pw, pr, fw, fr = sys.argv[1:]
secs, pw, pr = float(secs), float(pw), int(pr)
print(f"audio: {secs/60:.1f} min, 16 kHz mono 16-bit")
print(f"playtime (1 core): {pw:.2f} s wall = {secs/pw:.0f}x real time, peak RSS {pr/1024:.1f} MB")
if fw != "nan":
    fw = float(fw)
    print(f"ffmpeg silencedetect (1 thread): {fw:.2f} s wall = {secs/fw:.0f}x real time, peak RSS {int(fr)/1024:.1f} MB")
    print(f"playtime / ffmpeg speed ratio: {fw/pw:.2f}")
PY
go test -run '^$' -bench 'BenchmarkAnalyze|BenchmarkExtractorFrame' -benchmem -cpu 1 ./shared/audio
