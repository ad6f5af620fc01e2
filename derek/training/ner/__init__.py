"""Training of the KazNERD-style NER model (CRF) and its word clusters; not used at inference."""
