//! How the engine runs its queries: every large query is collected on polars' streaming engine,
//! which processes the data in morsels and spills what it can, so a province-sized export is
//! evaluated without holding every intermediate table in memory at once. Operations the
//! streaming engine does not implement fall back to the in-memory engine inside polars.

use polars::prelude::*;

/// `collect` on the streaming engine.
pub trait CollectStreaming {
    fn collect_streaming(self) -> PolarsResult<DataFrame>;
}

impl CollectStreaming for LazyFrame {
    fn collect_streaming(self) -> PolarsResult<DataFrame> {
        self.collect_with_engine(Engine::Streaming).map(|result| result.unwrap_single())
    }
}
