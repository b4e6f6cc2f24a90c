//! Runs a stage list over a record stream in parallel, deterministically.
//!
//! Records are taken in batches; a batch is processed by a rayon pool of `workers` threads,
//! each of which owns one `Pipeline` (its own model weights, since tch modules are not Sync)
//! and runs libtorch with `threads_per_worker` intra-op threads, so workers x threads = cores.
//! Results are written in input order, so the same input gives byte-identical output. After
//! each batch the sinks are flushed and `on_batch` is told how many input items are done (the
//! commit point of a resumable run); a raised `stop` flag (Ctrl-C) ends the run at the next
//! batch boundary.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::input::Item;
use crate::output::rejects::RejectSink;
use crate::output::Sink;
use crate::stages::Pipeline;

/// Builds one worker's pipeline (its own model weights); called once per worker, on the
/// calling thread, before any record is read.
pub type PipelineFactory<'a> = &'a (dyn Fn() -> Result<Pipeline> + Sync);

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub workers: usize,
    pub threads_per_worker: usize,
    /// Articles handed to the pool at once, per worker.
    pub batch_per_worker: usize,
    /// Expected number of records, for the progress bar's ETA.
    pub expected: Option<u64>,
    pub quiet: bool,
    /// Raised from outside (SIGINT): finish the batch in hand, then stop.
    pub stop: Option<Arc<AtomicBool>>,
}

impl RunOptions {
    /// `workers` workers sharing `cores` cores (at least one thread each).
    pub fn new(workers: usize, cores: usize) -> Self {
        let workers = workers.max(1);
        RunOptions {
            workers,
            threads_per_worker: (cores / workers).max(1),
            batch_per_worker: 8,
            expected: None,
            quiet: false,
            stop: None,
        }
    }
}

#[derive(Debug, Default, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub written: usize,
    pub rejected: usize,
    /// Input items (records and rejects) taken from the stream.
    pub consumed: usize,
    /// The stop flag ended the run before the input did.
    pub interrupted: bool,
}

pub fn run(
    records: impl Iterator<Item = Item>,
    factory: PipelineFactory,
    options: &RunOptions,
    sink: &mut dyn Sink,
    rejects: &mut RejectSink,
    on_batch: &mut dyn FnMut(&Summary) -> Result<()>,
) -> Result<Summary> {
    let threads = options.threads_per_worker;
    tch::set_num_threads(threads as i32);
    // Models load before any worker thread exists: a load error then leaves no libtorch
    // thread behind to race the exit (that race aborted runs with missing models).
    let pipelines: Vec<Mutex<Pipeline>> =
        (0..options.workers).map(|_| factory().map(Mutex::new)).collect::<Result<_>>()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.workers)
        .start_handler(move |_| tch::set_num_threads(threads as i32))
        .build()
        .map_err(Error::ThreadPool)?;
    let progress = Progress::new(options.expected, options.quiet);
    let mut summary = Summary::default();
    let rejected_before = rejects.count;
    let mut records = records.peekable();
    let batch_size = options.workers * options.batch_per_worker;
    while records.peek().is_some() {
        if options.stop.as_ref().is_some_and(|s| s.load(Ordering::SeqCst)) {
            summary.interrupted = true;
            break;
        }
        let batch: Vec<Item> = records.by_ref().take(batch_size).collect();
        summary.consumed += batch.len();
        let results: Vec<Item> = pool.install(|| {
            batch
                .into_par_iter()
                .map(|item| {
                    let worker = rayon::current_thread_index().unwrap_or(0);
                    let mut pipeline = pipelines[worker].lock().unwrap_or_else(|p| p.into_inner());
                    let result = item.and_then(|article| pipeline.run(article));
                    release_free_memory();
                    result
                })
                .collect()
        });
        for result in &results {
            match result {
                Ok(article) => {
                    sink.write(article)?;
                    summary.written += 1;
                }
                Err(reject) => rejects.write(reject)?,
            }
        }
        sink.flush()?;
        rejects.flush()?;
        summary.rejected = rejects.count - rejected_before;
        on_batch(&summary)?;
        progress.advance(results.len() as u64, rejects.count - rejected_before);
    }
    sink.flush()?;
    rejects.flush()?;
    summary.rejected = rejects.count - rejected_before;
    progress.finish(summary);
    Ok(summary)
}

/// Hands the heap memory freed by the article just tagged back to the system. Without it glibc
/// keeps every worker thread's freed tensor buffers in that thread's arena, and two workers
/// peaked at 1.1 GB where their models and live buffers need far less.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of glibc's arenas to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// An indicatif bar when stderr is a terminal; otherwise a plain line every few seconds.
struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    last_line: Mutex<Instant>,
    done: std::sync::atomic::AtomicU64,
    quiet: bool,
}

const LINE_EVERY: Duration = Duration::from_secs(5);

impl Progress {
    fn new(expected: Option<u64>, quiet: bool) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = expected.map(ProgressBar::new).unwrap_or_else(ProgressBar::new_spinner);
            let template = if expected.is_some() {
                "{elapsed_precise} [{bar:30}] {pos}/{len} articles {per_sec} ETA {eta} {msg}"
            } else {
                "{elapsed_precise} {spinner} {pos} articles {per_sec} {msg}"
            };
            bar.set_style(ProgressStyle::with_template(template).expect("valid template").progress_chars("=> "));
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            last_line: Mutex::new(Instant::now()),
            done: Default::default(),
            quiet,
        }
    }

    fn advance(&self, n: u64, rejected: usize) {
        let done = self.done.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n;
        if let Some(bar) = &self.bar {
            bar.inc(n);
            if rejected > 0 {
                bar.set_message(format!("{rejected} rejected"));
            }
            return;
        }
        let mut last = self.last_line.lock().unwrap_or_else(|p| p.into_inner());
        if !self.quiet && last.elapsed() >= LINE_EVERY {
            *last = Instant::now();
            let rate = done as f64 / self.started.elapsed().as_secs_f64();
            let _ = writeln!(std::io::stderr(), "progress: {done} articles, {rate:.1} articles/s, {rejected} rejected");
        }
    }

    fn finish(&self, summary: Summary) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if !self.quiet {
            let secs = self.started.elapsed().as_secs_f64();
            let total = summary.written + summary.rejected;
            let _ = writeln!(
                std::io::stderr(),
                "done: {} articles written, {} rejected, {:.1}s ({:.1} articles/s)",
                summary.written,
                summary.rejected,
                secs,
                total as f64 / secs.max(1e-9)
            );
        }
    }
}
