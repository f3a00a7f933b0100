//! go-plugin's services next to the provider's: the controller (Terraform's
//! Shutdown), stdio (the plugin's output, mirrored into Terraform's log) and
//! the broker (extra connections, which providers never use).

use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio_stream::Stream;
use tonic::{Request, Response, Status, Streaming};

use super::plugin::{
    grpc_broker_server::GrpcBroker, grpc_controller_server::GrpcController,
    grpc_stdio_server::GrpcStdio, ConnInfo, Empty, StdioData,
};
use super::ProviderServer;

type EventStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

pub struct Controller {
    shutdown: watch::Sender<bool>,
    server: Arc<ProviderServer>,
}

impl Controller {
    pub fn new(shutdown: watch::Sender<bool>, server: Arc<ProviderServer>) -> Self {
        Controller { shutdown, server }
    }
}

/// How long a Shutdown spends closing the ephemeral objects Terraform left open.
const CLOSE_LEFTOVERS_LIMIT: Duration = Duration::from_secs(60);

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _request: Request<Empty>) -> Result<Response<Empty>, Status> {
        // Before answering: Terraform waits for the answer, then gives the
        // process only a short grace.
        let _ = tokio::time::timeout(
            CLOSE_LEFTOVERS_LIMIT,
            self.server.close_leftover_ephemerals(),
        )
        .await;
        let _ = self.shutdown.send(true);
        Ok(Response::new(Empty {}))
    }
}

/// A stream that sends nothing and stays open until the server shuts down (or
/// Terraform hangs up).
fn open_until_shutdown<T: Send + 'static>(mut stopped: watch::Receiver<bool>) -> EventStream<T> {
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<T, Status>>(1);
    tokio::spawn(async move {
        tokio::select! {
            _ = stopped.wait_for(|stop| *stop) => {}
            () = sender.closed() => {}
        }
    });
    Box::pin(tokio_stream::wrappers::ReceiverStream::new(receiver))
}

/// The provider writes nothing to stdout/stderr once serving (diagnostics go
/// through the protocol; stderr, if ever used, reaches Terraform's log through
/// the process pipe), so the stream only stays open.
pub struct Stdio {
    stopped: watch::Receiver<bool>,
}

impl Stdio {
    pub fn new(stopped: watch::Receiver<bool>) -> Self {
        Stdio { stopped }
    }
}

#[tonic::async_trait]
impl GrpcStdio for Stdio {
    type StreamStdioStream = EventStream<StdioData>;

    async fn stream_stdio(
        &self,
        _request: Request<Empty>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        Ok(Response::new(open_until_shutdown(self.stopped.clone())))
    }
}

pub struct Broker {
    stopped: watch::Receiver<bool>,
}

impl Broker {
    pub fn new(stopped: watch::Receiver<bool>) -> Self {
        Broker { stopped }
    }
}

#[tonic::async_trait]
impl GrpcBroker for Broker {
    type StartStreamStream = EventStream<ConnInfo>;

    async fn start_stream(
        &self,
        request: Request<Streaming<ConnInfo>>,
    ) -> Result<Response<Self::StartStreamStream>, Status> {
        // Drain what Terraform sends (nothing, in practice) so it never blocks.
        let mut incoming = request.into_inner();
        tokio::spawn(async move { while let Ok(Some(_)) = incoming.message().await {} });
        Ok(Response::new(open_until_shutdown(self.stopped.clone())))
    }
}
