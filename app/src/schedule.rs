//! Latest doodle wins: at most one painting in flight, and while it runs only
//! the newest request waits. Older waiting requests are dropped, never queued.

#[derive(Debug)]
pub struct LatestOnly<T> {
    in_flight: bool,
    waiting: Option<T>,
}

impl<T> Default for LatestOnly<T> {
    fn default() -> Self {
        Self {
            in_flight: false,
            waiting: None,
        }
    }
}

impl<T> LatestOnly<T> {
    /// A new request. Returns it if it should be sent now; otherwise it waits,
    /// replacing any request already waiting.
    pub fn request(&mut self, job: T) -> Option<T> {
        if self.in_flight {
            self.waiting = Some(job);
            None
        } else {
            self.in_flight = true;
            Some(job)
        }
    }

    /// The job in flight finished. Returns the waiting request to send next.
    pub fn finished(&mut self) -> Option<T> {
        let next = self.waiting.take();
        self.in_flight = next.is_some();
        next
    }

    pub fn is_busy(&self) -> bool {
        self.in_flight
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_idle_scheduler_sends_at_once() {
        let mut schedule = LatestOnly::default();
        assert_eq!(schedule.request(1), Some(1));
        assert!(schedule.is_busy());
        assert_eq!(schedule.finished(), None);
        assert!(!schedule.is_busy());
    }

    #[test]
    fn only_the_latest_request_waits() {
        let mut schedule = LatestOnly::default();
        assert_eq!(schedule.request(1), Some(1));
        assert_eq!(schedule.request(2), None);
        assert_eq!(schedule.request(3), None);
        assert_eq!(schedule.finished(), Some(3), "2 is stale and dropped");
        assert!(schedule.is_busy());
        assert_eq!(schedule.finished(), None);
        assert_eq!(schedule.request(4), Some(4));
    }
}
