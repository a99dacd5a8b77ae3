//! The pix2pix trainer of the generator, on pairs the scene painter renders,
//! and its validation scores.

pub mod devices;
pub mod feed;
pub mod hand_drawn;
pub mod metrics;
pub mod sheet;
pub mod train;
