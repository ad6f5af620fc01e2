"""Training code for derek models (never imported at inference)."""
