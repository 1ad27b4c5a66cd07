//! The impact and notification report: one self-contained HTML file a
//! privacy officer can forward, with inline CSS and SVG charts drawn here
//! (people by jurisdiction, jurisdiction × category, the access time line,
//! the deadline time line). Nothing is fetched from the network and no
//! personal data is in it: it is made from counts and duties only.

pub mod html;
mod svg;

pub use html::render;
