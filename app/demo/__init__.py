"""Demonstration data, loaded through every domain's services: the top layer, imported by none."""
