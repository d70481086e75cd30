"""Tests for AIoT Brain."""
