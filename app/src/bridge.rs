//! The page's side of the painting worker: starts it, sends doodles (latest
//! wins), and hands every reply to the page.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};

use crate::protocol::{BackendChoice, Blend, FromWorker, ToWorker};
use crate::schedule::LatestOnly;

/// What the page asks the worker to paint.
pub struct PaintRequest {
    pub style: art::Style,
    pub blend: Option<Blend>,
    pub rgb: Vec<u8>,
}

pub struct Bridge {
    worker: Worker,
    schedule: RefCell<LatestOnly<(u64, PaintRequest)>>,
    next_job: Cell<u64>,
}

impl Bridge {
    /// Starts the worker; `on_message` gets every reply, in order.
    pub fn spawn(
        backend: BackendChoice,
        on_message: impl Fn(FromWorker) + 'static,
    ) -> Result<Rc<Self>, String> {
        // app/worker_loader.js starts the `worker` binary. It sits beside
        // index.html; a relative URL keeps the app working under any sub-path.
        let url = format!("./worker_loader.js?backend={}", backend.as_query());
        let worker = Worker::new(&url).map_err(|e| format!("could not start the worker: {e:?}"))?;
        let bridge = Rc::new(Self {
            worker,
            schedule: RefCell::new(LatestOnly::default()),
            next_job: Cell::new(0),
        });

        let on_message = Rc::new(on_message);
        let weak = Rc::downgrade(&bridge);
        let on_reply = on_message.clone();
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let message = serde_wasm_bindgen::from_value::<FromWorker>(event.data())
                .unwrap_or_else(|e| FromWorker::Failed {
                    job: None,
                    message: format!("unreadable message from the worker: {e}"),
                });
            if let (Some(bridge), FromWorker::Painted { .. } | FromWorker::Failed { job: Some(_), .. }) =
                (weak.upgrade(), &message)
            {
                bridge.job_finished();
            }
            on_reply(message);
        });
        bridge
            .worker
            .set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        onmessage.forget();

        // A worker that crashed (a panic, a lost GPU device) answers nothing
        // more: say so rather than wait forever.
        let onerror = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
            event.prevent_default();
            on_message(FromWorker::Failed {
                job: None,
                message: format!("the painting worker stopped ({}); reload the page to try again", event.message()),
            });
        });
        bridge.worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        onerror.forget();
        Ok(bridge)
    }

    /// Asks for a painting; returns its job number. If one is being painted,
    /// this replaces whatever was waiting.
    pub fn paint(&self, request: PaintRequest) -> u64 {
        let job = self.next_job.get() + 1;
        self.next_job.set(job);
        let ready = self.schedule.borrow_mut().request((job, request));
        if let Some(ready) = ready {
            self.send(ready);
        }
        job
    }

    /// Asks for the brushwork of painting `job` on a `size` px canvas, for
    /// the screen or for a saved file.
    pub fn brush(&self, job: u64, seed: u64, size: u32, export: bool) {
        self.post(&ToWorker::Brush { job, seed, size, export });
    }

    /// Asks for time-lapse `job` of `strokes` (with `save`, as a GIF too).
    pub fn time_lapse(&self, job: u64, style: art::Style, blend: Option<Blend>, strokes: Vec<ink::Stroke>, save: bool) {
        self.post(&ToWorker::TimeLapse { job, style: style.id().into(), blend, strokes, save });
    }

    /// Asks for the strokes of the sketch in a photo (RGBA).
    pub fn import(&self, job: u64, width: u32, height: u32, rgba: Vec<u8>) {
        self.post(&ToWorker::Import { job, width, height, rgba });
    }

    pub fn stop_time_lapse(&self, job: u64) {
        self.post(&ToWorker::StopTimeLapse { job });
    }

    fn post(&self, message: &ToWorker) -> bool {
        let sent = serde_wasm_bindgen::to_value(message)
            .map_err(|e| format!("{e}"))
            .and_then(|value| self.worker.post_message(&value).map_err(|e| format!("{e:?}")));
        if let Err(e) = &sent {
            web_sys::console::error_1(&format!("could not send a message to the worker: {e}").into());
        }
        sent.is_ok()
    }

    fn job_finished(&self) {
        let next = self.schedule.borrow_mut().finished();
        if let Some(next) = next {
            self.send(next);
        }
    }

    fn send(&self, (job, request): (u64, PaintRequest)) {
        let message = ToWorker::Paint {
            job,
            style: request.style.id().into(),
            blend: request.blend,
            rgb: request.rgb,
        };
        if !self.post(&message) {
            self.job_finished();
        }
    }
}
