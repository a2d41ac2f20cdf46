"""voices: speech output for reader — synth drivers, the audio player and the speech queue."""
