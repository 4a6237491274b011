"""Evaluation pages: the participant's survey and tests, the trainers' entry and results."""
