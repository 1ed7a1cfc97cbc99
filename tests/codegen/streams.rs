//! Emits `src/<service>/generated/event_streams.rs`: the events and exceptions each event stream
//! of the model carries, for the hand-written stream reader (`src/kinesis/subscribe.rs`).

use super::model::{snake_case, Model, Service, Shape};
use super::text::quoted;
use super::HEADER;

/// The file, or `None` for a model without event streams.
pub fn emit_event_streams(model: &Model, service: &Service) -> Option<String> {
    let streams: Vec<&Shape> = model.shapes.values().filter(|s| s.eventstream).collect();
    if streams.is_empty() {
        return None;
    }
    let title = service.title;
    let mut out = format!(
        "{HEADER}
//! The event streams of the {title} model: the events and exceptions each one carries, by the
//! names their frames use (`:event-type`, `:exception-type`).
"
    );
    for stream in streams {
        out.push_str(&emit_stream(model, stream));
    }
    Some(out)
}

/// The two lists of one event stream.
fn emit_stream(model: &Model, stream: &Shape) -> String {
    let (exceptions, events): (Vec<_>, Vec<_>) = stream
        .members
        .iter()
        .partition(|m| model.shape(&m.shape).exception);
    for member in &exceptions {
        // The stream reader looks an `:exception-type` up as an error code, i.e. a shape name.
        assert_eq!(
            member.name, member.shape,
            "{}: exception member named apart from its shape",
            stream.name
        );
    }
    let stream_name = &stream.name;
    let prefix = snake_case(stream_name).to_uppercase();
    let event_count = events.len();
    let event_names = quoted(events.iter().map(|m| &m.name));
    let exception_count = exceptions.len();
    let exception_names = quoted(exceptions.iter().map(|m| &m.name));
    format!(
        "
/// `{stream_name}`: its events (the `:event-type` values), in model order.
pub const {prefix}_EVENTS: [&str; {event_count}] = [{event_names}];

/// `{stream_name}`: its exceptions (the `:exception-type` values), in model order.
pub const {prefix}_EXCEPTIONS: [&str; {exception_count}] = [{exception_names}];
"
    )
}
