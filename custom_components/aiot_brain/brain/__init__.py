"""The learning core of AIoT Brain.

Pure Python: nothing here imports ``homeassistant``. It takes plain observations,
keeps per-zone models, answers queries and serialises its state to versioned JSON.
"""
