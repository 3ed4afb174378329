/**
 * The parts of the Chrome DevTools Protocol's Network domain the capture reads (the protocol Electron's
 * `webContents.debugger` speaks). Field names and meanings follow the protocol; only what we use is typed.
 */

export type CdpHeaders = Readonly<Record<string, string>>;

export interface CdpRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: CdpHeaders;
  readonly postData?: string;
  readonly hasPostData?: boolean;
}

export interface CdpResponse {
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  readonly headers: CdpHeaders;
  readonly mimeType?: string;
  readonly fromDiskCache?: boolean;
  readonly fromServiceWorker?: boolean;
  readonly fromPrefetchCache?: boolean;
}

export interface RequestWillBeSent {
  readonly requestId: string;
  readonly request: CdpRequest;
  readonly timestamp: number;
  readonly wallTime: number;
  readonly documentURL?: string;
  readonly frameId?: string;
  /** Document, Fetch, XHR, Preflight, Script, … */
  readonly type?: string;
  /** Set when the previous hop of this request ended in this redirect. */
  readonly redirectResponse?: CdpResponse;
  /** Whether the redirected hop has (had) ExtraInfo events. */
  readonly redirectHasExtraInfo?: boolean;
}

export interface RequestWillBeSentExtraInfo {
  readonly requestId: string;
  /** The headers as sent on the wire, Cookie included. */
  readonly headers: CdpHeaders;
  readonly associatedCookies?: readonly { blockedReasons: readonly string[]; cookie: { name: string } }[];
}

export interface ResponseReceived {
  readonly requestId: string;
  readonly timestamp: number;
  readonly type?: string;
  readonly response: CdpResponse;
  /** Whether requestWillBeSentExtraInfo and responseReceivedExtraInfo will be or were sent for this hop. */
  readonly hasExtraInfo?: boolean;
}

export interface ResponseReceivedExtraInfo {
  readonly requestId: string;
  /** The headers as received on the wire, Set-Cookie included. */
  readonly headers: CdpHeaders;
  /** The wire status: also sent when the page never gets a response (CORS failure), and 304 on revalidation. */
  readonly statusCode: number;
  /** HTTP/1 only: the raw status line and headers. */
  readonly headersText?: string;
  readonly blockedCookies?: readonly {
    blockedReasons: readonly string[];
    cookieLine: string;
    cookie?: { name: string };
  }[];
}

export interface LoadingFinished {
  readonly requestId: string;
  readonly timestamp: number;
}

export interface LoadingFailed {
  readonly requestId: string;
  readonly timestamp: number;
  readonly errorText: string;
  readonly canceled?: boolean;
  /** Why the browser refused the request or its response (csp, mixed-content, corp-not-same-origin, …). */
  readonly blockedReason?: string;
  readonly corsErrorStatus?: { corsError: string; failedParameter: string };
}

export interface RequestServedFromCache {
  readonly requestId: string;
}

export interface CdpNetworkEvents {
  'Network.requestWillBeSent': RequestWillBeSent;
  'Network.requestWillBeSentExtraInfo': RequestWillBeSentExtraInfo;
  'Network.responseReceived': ResponseReceived;
  'Network.responseReceivedExtraInfo': ResponseReceivedExtraInfo;
  'Network.requestServedFromCache': RequestServedFromCache;
  'Network.loadingFinished': LoadingFinished;
  'Network.loadingFailed': LoadingFailed;
}
