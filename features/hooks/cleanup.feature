@hooks @cleanup
Feature: A request's uploaded files are closed when the request ends
  A file uploaded with a form reaches the view as request.files[...], a
  FileStorage whose stream Werkzeug keeps in memory or, past 500 KiB, in a
  temporary file on disk. The view does not have to close it: when the request
  context is popped, after every teardown_request function has run, Flask
  calls request.close(), which closes every file of the request (H-18, new in
  this feature's catalogue: RequestContext.pop, the same on Flask 2.3, 3.0 and
  3.1). That holds however the request ended, with an answer, an abort() or an
  error that nothing handled, so a server under load does not run out of file
  descriptors or fill its disk with the temporary files of finished uploads.

  It also means that the file is gone once the response has been made: a view
  that hands request.files[...] to a background job hands over a closed file.
  The job must be given the content (or a copy saved with file.save()) instead.

  The kit's probe keeps a reference to the uploaded file past its request and
  looks at it again afterwards.

  @H-18
  Scenario Outline: An uploaded file is closed once its request has ended, however the view ended
    When Alice uploads a file to a view that <ends>
    Then the view could read the file
    And the file is closed now that the request has ended

    Examples:
      | ends                                 |
      | answers                              |
      | aborts with 403                      |
      | raises an error that nothing handles |

  @H-18 @H-13
  Scenario: The teardown_request functions can still read an uploaded file
    When Alice uploads a file to a view that answers
    Then the file was still open when the teardown_request functions ran
