"""SPIE Desktop: prepare an AMI SPIE application dossier offline, together."""

__version__ = "0.1.0"
APP_NAME = "SPIE Desktop"
APP_ID = "spie-desktop"
