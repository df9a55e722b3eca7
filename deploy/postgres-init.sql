-- The registry keeps its schemas in its own database so that ids survive restarts.
CREATE DATABASE whp_registry;
