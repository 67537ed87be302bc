"""Factor evaluation: values from Qlib's engine, IC/quantile statistics, the redundancy library, and their glue."""
