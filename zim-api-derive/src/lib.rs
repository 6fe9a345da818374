//! Build-time generation of ZIM API client code from a spec directory.
