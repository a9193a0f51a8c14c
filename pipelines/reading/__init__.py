"""Reading a raw file: its bytes (refused when outside RAW_DIR or too large), its text (decoded), and what
it is (recognised from its content, never its name). Parsing (pipelines/parsing) starts from here."""
