# Play-time analyzer: dataset generation, training, evaluation and benchmarks.
# The dataset is generated (never committed) under $(AUDIO_DATA).
AUDIO_DATA ?= .cache/dataset
# Recipes below AUDIO_RECIPES fill all three splits; those up to AUDIO_TRAIN_RECIPES add training
# scenes only (more to learn from, while dev and test stay as they are).
AUDIO_RECIPES ?= 2000
AUDIO_TRAIN_RECIPES ?= 8000

.PHONY: dataset train eval bench-audio audio-deps

# The generator renders MIDI with fluidsynth and speech with espeak-ng; ffmpeg is for the bench only.
audio-deps:
	@command -v fluidsynth >/dev/null && command -v espeak-ng >/dev/null && test -f /usr/share/sounds/sf2/FluidR3_GM.sf2 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fluidsynth fluid-soundfont-gm espeak-ng ffmpeg sox; }

dataset: audio-deps
	rm -rf $(AUDIO_DATA)
	go run ./cmd/dataset -out $(AUDIO_DATA) -n $(AUDIO_RECIPES) -j 2
	go run ./cmd/dataset -out $(AUDIO_DATA) -first $(AUDIO_RECIPES) -n $$(( $(AUDIO_TRAIN_RECIPES) - $(AUDIO_RECIPES) )) -split train -j 2

train:
	go run ./cmd/train -data $(AUDIO_DATA) -out shared/audio/model.json

eval:
	go run ./bench/eval -data $(AUDIO_DATA)/test -out bench/results/eval.md
	go run ./bench/chunks -data $(AUDIO_DATA)/test | tee bench/results/chunks.txt

bench-audio:
	bash bench/audio.sh
