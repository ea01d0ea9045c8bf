/** An HTTP error the error handler renders as its page (403, 404, …) with a message that is safe to show. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** the page's heading, when the status's own ("Access refused", …) says too little */
    readonly title?: string,
  ) {
    super(message);
  }
}

/** Signals that the visitor must sign in first; the error handler redirects to /login. */
export class SignInRequired extends Error {}
